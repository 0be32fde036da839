/**
 * Authorship rules with no Node or Electron in them: the main process and the renderer both
 * import this at run time, so labels and ids are never copied.
 */
export { HUMAN_AUTHOR_ID, AUTHOR_KINDS, isHumanAuthor, type AuthorKind } from './authors';
export {
  CONTRIBUTION_OPERATIONS,
  HUMAN_OPERATIONS,
  OPERATION_LABELS,
  operationLabel,
  type ContributionOperation,
  type HumanOperation,
} from './operations';
