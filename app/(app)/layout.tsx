import { AppShell } from '@/components/shell/app-shell';
import { requireSessionUser } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSessionUser();
  return <AppShell user={{ name: user.name, email: user.email }}>{children}</AppShell>;
}
