/** Entry point of the workflow bundle: every workflow type the workers serve. */
export { checkout } from './checkout';
