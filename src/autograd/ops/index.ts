// Every op, from the file that defines it (operands.ts also holds the operand helpers the ops share).
export * from './elementwise.ts';
export * from './linalg.ts';
export * from './movement.ts';
export * from './reduce.ts';
export { expand } from './operands.ts';
