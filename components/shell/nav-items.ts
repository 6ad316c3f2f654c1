export interface NavItem {
  href: string;
  label: string;
  icon: 'catalog' | 'flows' | 'templates' | 'settings';
}

export const navItems: NavItem[] = [
  { href: '/catalog', label: 'Catalog', icon: 'catalog' },
  { href: '/flows', label: 'Flows', icon: 'flows' },
  { href: '/templates', label: 'Templates', icon: 'templates' },
  { href: '/settings', label: 'Settings', icon: 'settings' },
];
