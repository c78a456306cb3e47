/** DI token of the pg Pool that read models are written and read through. */
export const READ_MODELS = Symbol('READ_MODELS');
