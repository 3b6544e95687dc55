/** The activation: relu left out, replaced by tanh or a sigmoid, or capped at 1. In tensor code and in the hand-written BPTT. */
import { calls, defineMutantOperator, importing, replace, type Edit, type MutantOperator } from 'propgrade/spec';

interface Replacement {
  /** The tensor expression that replaces `relu(z)`, and the engine function it needs. */
  tensor: (z: string) => string;
  needs?: string;
  /** The number expression that replaces `Math.max(z, 0)`. */
  number: (z: string) => string;
}

function activation(id: string, title: string, r: Replacement): MutantOperator {
  return defineMutantOperator({
    id,
    title,
    mutate(file) {
      const imports: Edit[] = r.needs ? importing(file, r.needs) : [];
      const tensorSites = calls(file, 'relu').map((call) => [replace(call, r.tensor(call.getArguments()[0]!.getText())), ...imports]);
      const numberSites = calls(file, 'Math.max')
        .filter((call) => call.getArguments()[1]?.getText() === '0')
        .map((call) => [replace(call, r.number(call.getArguments()[0]!.getText()))]);
      return [...tensorSites, ...numberSites];
    },
  });
}

export const reluDropped = activation('relu-dropped', 'no activation: h_t = U x_t + V h_{t-1}', { tensor: (z) => z, number: (z) => z });

export const reluToTanh = activation('relu-to-tanh', 'tanh instead of relu', { tensor: (z) => `tanh(${z})`, needs: 'tanh', number: (z) => `Math.tanh(${z})` });

export const reluToSigmoid = activation('relu-to-sigmoid', 'a sigmoid instead of relu', {
  tensor: (z) => `sigmoid(${z})`,
  needs: 'sigmoid',
  number: (z) => `1 / (1 + Math.exp(-(${z})))`,
});

export const reluCapped = activation('relu-capped', 'relu capped at 1 (clamp with a max)', {
  tensor: (z) => `clamp(${z}, { min: 0, max: 1 })`,
  number: (z) => `Math.min(Math.max(${z}, 0), 1)`,
});
