export { StyleChangeService, type PredictResult, type TrainResult } from './style-change-service';
export { macroF1 } from './f1';
export { splitUnits, singleLine } from './units';
export { readPanProblems, writePanSolution, panTruthSchema, type PanProblem, type PanTruth } from './pan-problems';
export type * from './common/contract';
