/**
 * `propgrade/autograd` as the static checks see it: the engine's public names with their types,
 * loaded into the in-memory project so the type checker resolves a student's references to
 * them. Kept in step with src/autograd/index.ts by test/static/engine-declaration.test.ts.
 */
export type Shape = number[];
export type Nested = number | Nested[];
export type TensorLike = Tensor | number;
export type ClampBounds = { min?: number; max?: number };

export interface OpDefinition<P = undefined> {
  readonly name: string;
  forward(inputs: Tensor[], param: P): Tensor;
  backward(g: Float64Array, grads: (Float64Array | null)[], inputs: Tensor[], out: Tensor, param: P): void;
}

export declare class Tensor {
  constructor(data: Float64Array, shape: Shape);
  readonly data: Float64Array;
  readonly shape: Shape;
  grad: Tensor | null;
  requiresGrad: boolean;
  readonly isLeaf: boolean;
  readonly size: number;
  readonly T: Tensor;
  backward(gradient?: Tensor | Nested): void;
  item(): number;
  tolist(): Nested;
  detach(): Tensor;
  toString(): string;
  add(other: TensorLike): Tensor;
  sub(other: TensorLike): Tensor;
  mul(other: TensorLike): Tensor;
  div(other: TensorLike): Tensor;
  pow(exponent: TensorLike): Tensor;
  maximum(other: TensorLike): Tensor;
  minimum(other: TensorLike): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  clamp(bounds: ClampBounds): Tensor;
  matmul(other: Tensor): Tensor;
  mv(vector: Tensor): Tensor;
  dot(other: Tensor): Tensor;
  sum(dim?: number): Tensor;
  prod(dim?: number): Tensor;
  mean(dim?: number): Tensor;
  max(dim?: number): Tensor;
  softmax(dim?: number): Tensor;
  diag(): Tensor;
  at(index: number): Tensor;
  reshape(...shape: number[] | [number[]]): Tensor;
  // The engine's internals: declared so that reaching for them resolves, and is caught.
  private _requiresGrad;
  private _op;
  private _inputs;
  private _param;
  private _gradBuffer;
  private _pass;
}

export declare function tensor(value: Nested | Float64Array | Tensor, options?: { requiresGrad?: boolean }): Tensor;
export declare function full(shape: Shape, value: number): Tensor;
export declare function zeros(...shape: number[] | [number[]]): Tensor;
export declare function ones(...shape: number[] | [number[]]): Tensor;
export declare function eye(n: number): Tensor;
export declare function diag(v: Tensor): Tensor;
export declare function stack(tensors: Tensor[]): Tensor;

export declare function add(a: TensorLike, b: TensorLike): Tensor;
export declare function sub(a: TensorLike, b: TensorLike): Tensor;
export declare function mul(a: TensorLike, b: TensorLike): Tensor;
export declare function div(a: TensorLike, b: TensorLike): Tensor;
export declare function pow(x: TensorLike, k: TensorLike): Tensor;
export declare function maximum(a: TensorLike, b: TensorLike): Tensor;
export declare function minimum(a: TensorLike, b: TensorLike): Tensor;
export declare function neg(x: Tensor): Tensor;
export declare function abs(x: Tensor): Tensor;
export declare function exp(x: Tensor): Tensor;
export declare function log(x: Tensor): Tensor;
export declare function tanh(x: Tensor): Tensor;
export declare function sigmoid(x: Tensor): Tensor;
export declare function relu(x: Tensor): Tensor;
export declare function clamp(x: Tensor, bounds: ClampBounds): Tensor;
export declare function softmax(x: Tensor, dim?: number): Tensor;

export declare function matmul(a: Tensor, b: Tensor): Tensor;
export declare function mv(A: Tensor, v: Tensor): Tensor;
export declare function dot(a: Tensor, b: Tensor): Tensor;
export declare function transpose(x: Tensor): Tensor;
export declare function at(x: Tensor, index: number): Tensor;
export declare function expand(x: Tensor, shape: Shape): Tensor;
export declare function reshape(x: Tensor, ...shape: number[] | [number[]]): Tensor;

export declare function sum(x: Tensor, dim?: number): Tensor;
export declare function prod(x: Tensor, dim?: number): Tensor;
export declare function mean(x: Tensor, dim?: number): Tensor;
export declare function max(x: Tensor, dim?: number): Tensor;

export declare function noGrad<T>(fn: () => T): T;
export declare function defineOp<P = undefined>(definition: OpDefinition<P>): (inputs: Tensor[], param: P) => Tensor;
export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
}
export interface JacobianEntry {
  input: number;
  element: number;
  outputElement: number;
  analytical: number;
  numerical: number;
}
export interface GradcheckResult {
  ok: boolean;
  worst: JacobianEntry | null;
  analytical: Tensor[];
  numerical: Tensor[];
  message: string;
}
export declare function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradcheckOptions): GradcheckResult;
export declare function toDot(root: Tensor | readonly Tensor[], options?: { params?: Record<string, Tensor> }): string;
export declare function formatShape(shape: readonly number[]): string;
