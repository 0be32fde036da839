/** The app's views, in navigation order; Ctrl/Cmd+1..6 switch between them. */
export const VIEWS = [
  { id: 'write', label: 'Write', icon: '✎', empty: '' },
  {
    id: 'detect',
    label: 'Detect',
    icon: '◎',
    empty:
      'Check a text or a folder of essays for LLM involvement: role, involvement ratio, highlighted segments and a shareable report.',
  },
  {
    id: 'stories',
    label: 'Stories',
    icon: '❖',
    empty:
      'Generate multi-LLM collaborative stories, with 1 to 5 model authors taking turns, and export them as labelled datasets.',
  },
  {
    id: 'library',
    label: 'Library',
    icon: '▤',
    empty: 'Attach reference documents, retrieve passages and curate them (pin, exclude, rate) while you write.',
  },
  {
    id: 'models',
    label: 'Models',
    icon: '⚙',
    empty: 'Manage LLM providers and local models: endpoints, downloads, and model authors with their personas.',
  },
  { id: 'settings', label: 'Settings', icon: '☰', empty: '' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
