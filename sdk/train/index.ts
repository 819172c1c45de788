/**
 * Training (Node): reverse-mode autodiff over the graph builder, the CVAE loss, Adam in the graph, and the
 * trainer that runs the step graph on onnxruntime-node.
 */
export { gradients, sumAll } from './autodiff.js'
export { cvaeLoss, type LossOptions, type CvaeLoss } from './loss.js'
export { adamUpdate, adamScalars, ADAM_DEFAULTS, type AdamOptions } from './adam.js'
export { buildStepGraph, buildEvalGraph, buildDecodeGraph, buildLossGraph, TRAIN_IO, type ParamInfo, type StepGraphOptions } from './graphs.js'
export { GraphRunner, graphModel, scalarFeed, type Feeds, type RunnerOptions } from './session.js'
export { fillBatch, fitSize, subset, epochOrder, derivedSeed, type ImageSet, type Binarize } from './data.js'
export { readMnist, mnistDir } from './mnist.js'
export { StepState, scheduledLr, stateKeys, type LrSchedule } from './step-state.js'
export { learningRate, klWeight, totalSteps, stepsPerEpoch, TRAIN_DEFAULTS, type TrainConfig } from './config.js'
export { saveCheckpoint, loadCheckpoint, type Checkpoint } from './checkpoint.js'
export { evaluateElbo, evaluateIwae, type ElboResult, type IwaeResult } from './evaluate.js'
export { Trainer, type Progress, type TrainData, type TrainSummary, type TrainerOptions } from './trainer.js'
export { lossCurvesSvg } from './plot.js'
