/** Machine-learning core for the judge: typed tables, features, GBDT, logistic regression, neighbours, metrics, resampling. */
export { concatRows, type FeatureMatrix, takeRows, toFeatures } from './features.js';
export { type GbdtModel, type GbdtOptions, trainGbdt } from './gbdt.js';
export {
  type LogisticModel,
  type LogisticOptions,
  type SparseRows,
  sparseRows,
  trainLogistic,
} from './logistic.js';
export {
  accuracy,
  argmaxRows,
  confusionMatrix,
  macroF1,
  multiclassAuc,
  perClassRecall,
  rocAuc,
} from './metrics.js';
export { type NaiveBayesModel, type NaiveBayesOptions, trainMultinomialNB } from './naive-bayes.js';
export {
  bruteForceNeighbours,
  type GowerSpace,
  gowerSpace,
  type Neighbours,
  nearestNeighbours,
} from './neighbours.js';
export { bootstrapCI, sampleIndices, stratifiedFolds } from './resample.js';
export {
  alignTables,
  type ColumnKinds,
  inferKinds,
  levelKey,
  parseIsoDate,
  parseNumber,
  type RawLike,
  type TypedColumn,
  type TypedTable,
} from './typed-table.js';
