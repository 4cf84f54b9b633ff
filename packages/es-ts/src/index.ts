export const esTsName = 'es-ts';
