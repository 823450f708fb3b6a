export { Xoshiro128 } from './xoshiro.ts';
