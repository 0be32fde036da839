/** The human user's author id (its `authors` row is created by migration 0001). */
export const HUMAN_AUTHOR_ID = 'human:me';

/** Who can author text: the person at the keyboard, or a model co-writer. */
export const AUTHOR_KINDS = ['human', 'model'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];

/** True for the human user's own id. */
export function isHumanAuthor(authorId: string): boolean {
  return authorId === HUMAN_AUTHOR_ID;
}
