export { IdTranslator } from './id-translator.ts';
