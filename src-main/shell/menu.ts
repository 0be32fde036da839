import { Menu, type MenuItemConstructorOptions } from 'electron';

/** Standard menus; app actions (new document, search, views) are keyboard shortcuts in the UI. */
export function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ role: 'about' }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
