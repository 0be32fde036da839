import { extensionOf } from './text-import';

/**
 * The text written when a document is exported to `fileName`: a Markdown file starts with the
 * title as a `# heading` unless the text already has one; any other file gets the text as it is.
 */
export function exportText(title: string, body: string, fileName: string): string {
  const ext = extensionOf(fileName);
  const markdown = ext === '.md' || ext === '.markdown';
  return markdown && !/^#\s/m.test(body) ? `# ${title}\n\n${body}` : body;
}
