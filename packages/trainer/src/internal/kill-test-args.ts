// The arguments shared by the kill -9 test's child and its uninterrupted reference run (accumulation, mid-epoch saves).

import type { TrainingArgumentsInit } from "../training-args.js";

export const killTestArgs = (outputDir: string): TrainingArgumentsInit => ({
  outputDir, maxSteps: 30, perDeviceTrainBatchSize: 4, gradientAccumulationSteps: 2, learningRate: 0.02, loggingSteps: 1,
  saveSteps: 1, saveTotalLimit: 3, evalStrategy: "steps", evalSteps: 7, disableTqdm: true, lrSchedulerType: "cosine", warmupSteps: 3,
});
