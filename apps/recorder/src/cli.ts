import { esTsName } from '@rec/es-ts';

console.log('recorder uses', esTsName);
