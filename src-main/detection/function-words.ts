/**
 * English function words: topic-independent, so their rates describe style rather than subject.
 * The order is part of the model contract (one `fw:<word>` style feature each, in this order).
 */
export const FUNCTION_WORDS: readonly string[] = (
  'the a an and or but if then so because as of in on at to for from by with about into over after ' +
  'before between through during without within under again further once here there when where why how ' +
  'all any both each few more most other some such no nor not only own same than too very can will just ' +
  'should would could may might must shall do does did done have has had having be is are was were been ' +
  'being i me my we our you your he him his she her it its they them their this that these those which who ' +
  'whom what while also however therefore thus although though yet still even really actually like well ' +
  'maybe lot lots get got thing things think know'
).split(' ');

/** Function word -> its position in FUNCTION_WORDS. */
export const FUNCTION_WORD_INDEX: ReadonlyMap<string, number> = new Map(FUNCTION_WORDS.map((w, i) => [w, i]));

/** Contraction suffixes ('s, n't, 're, ...) on a lower-cased token. */
export const CONTRACTION = /'(s|t|re|ve|ll|d|m)$/;
