console.log('dashget');
