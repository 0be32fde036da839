import core from './0001-core';
import llm from './0002-llm';
import checks from './0003-checks';
import jobLeases from './0004-job-leases';
import authorship from './0005-authorship';
import authoring from './0006-authoring';
import suggestions from './0007-suggestions';
import stories from './0008-stories';
import library from './0009-library';
import libraryCuration from './0010-library-curation';
import type { Migration } from './types';

export type { Migration } from './types';

/**
 * Every schema step, in order. Capabilities add their own file here (0002-llm, 0003-detection, ...);
 * versions never change once released.
 */
export const migrations: readonly Migration[] = [
  core,
  llm,
  checks,
  jobLeases,
  authorship,
  authoring,
  suggestions,
  stories,
  library,
  libraryCuration,
];
