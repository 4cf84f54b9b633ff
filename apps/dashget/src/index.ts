/** The dashget app is a CLI; see src/cli.ts. Its library code lives in the @rec packages. */
export {};
