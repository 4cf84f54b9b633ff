console.log('mp4dump');
