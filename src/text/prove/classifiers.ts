/**
 * The classifiers `text prove` trains, registered once by name: both read TF-IDF word 1–2-grams
 * fitted on their own training texts and differ in family — a discriminative linear model
 * (multinomial logistic regression, SGD) and a generative one (multinomial naive Bayes) — so a gain
 * that shows in both is not an artefact of one learner. Each runs with plain or balanced class
 * weights.
 */
import { argmaxRows, trainLogistic, trainMultinomialNB } from '../../ml/index.js';
import type { LabelledText } from '../downstream.js';
import { fitTfidf } from '../tfidf.js';

export type ClassWeighting = 'plain' | 'balanced';

export interface TextClassifier {
  readonly name: string;
  readonly family: string;
  /** Train on `train` (labels coded by `labels`) and predict a label index per test text. */
  fitPredict(
    train: readonly LabelledText[],
    test: readonly string[],
    labels: readonly string[],
    opts: { weighting: ClassWeighting; seed: number },
  ): Int32Array;
}

function coded(train: readonly LabelledText[], labels: readonly string[]) {
  const code = new Map(labels.map((l, i) => [l, i]));
  return Int32Array.from(train, (t) => code.get(t.label)!);
}

export const logisticRegression: TextClassifier = {
  name: 'tfidf-logreg',
  family: 'discriminative linear (multinomial logistic regression)',
  fitPredict(train, test, labels, { weighting, seed }) {
    const tf = fitTfidf(train.map((t) => t.text));
    const model = trainLogistic(tf.transform(train.map((t) => t.text)), coded(train, labels), labels.length, {
      seed,
      epochs: 15,
      classWeight: weighting === 'balanced' ? 'balanced' : null,
    });
    return argmaxRows(model.predictProba(tf.transform(test)), labels.length);
  },
};

export const naiveBayes: TextClassifier = {
  name: 'tfidf-nb',
  family: 'generative (multinomial naive Bayes, alpha 0.1)',
  fitPredict(train, test, labels, { weighting }) {
    const tf = fitTfidf(train.map((t) => t.text));
    const model = trainMultinomialNB(
      tf.transform(train.map((t) => t.text)),
      coded(train, labels),
      labels.length,
      {
        alpha: 0.1,
        classWeight: weighting === 'balanced' ? 'balanced' : null,
      },
    );
    return argmaxRows(model.jointLogLikelihood(tf.transform(test)), labels.length);
  },
};

export const TEXT_CLASSIFIERS: ReadonlyMap<string, TextClassifier> = new Map([
  [logisticRegression.name, logisticRegression],
  [naiveBayes.name, naiveBayes],
]);
