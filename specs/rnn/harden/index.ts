/**
 * What `propgrade harden` adds for this lab (staff only): the mistakes RNN students make, planted in
 * the reference by operators written against propgrade/spec (the generic ones, loops, constants,
 * swapped arguments, transposes..., come from propgrade itself), and the equivalence search's
 * exhaustive small cases.
 */
import { defineHarden } from 'propgrade/spec';
import { reluCapped, reluDropped, reluToSigmoid, reluToTanh } from './activation.ts';
import { firstTokenCounted, logProbabilitiesSummed, productToSum, sigmaChanged, vIdentity, wNotIdentity } from './bigram.ts';
import {
  crossTimeDropped,
  factorTwoDropped,
  inputOffByOne,
  kinkSide,
  outputFactorDropped,
  recurrentFactorDropped,
  reluSlopeIgnored,
  residualSignFlipped,
  targetOffByOne,
} from './bptt.ts';
import { gradientOfSum, gradientOfWrongElement } from './gradients.ts';
import { probes } from './probes.ts';
import { h0Ones, loopOverDim, outputBeforeUpdate, stateKept, stateNotCarried, wrongStepOutput } from './state.ts';

export default defineHarden({
  operators: [
    reluDropped,
    reluToTanh,
    reluToSigmoid,
    reluCapped,
    h0Ones,
    stateNotCarried,
    outputBeforeUpdate,
    wrongStepOutput,
    stateKept,
    loopOverDim,
    firstTokenCounted,
    productToSum,
    logProbabilitiesSummed,
    vIdentity,
    wNotIdentity,
    sigmaChanged,
    gradientOfSum,
    gradientOfWrongElement,
    crossTimeDropped,
    recurrentFactorDropped,
    outputFactorDropped,
    reluSlopeIgnored,
    kinkSide,
    factorTwoDropped,
    residualSignFlipped,
    targetOffByOne,
    inputOffByOne,
  ],
  probes,
});
