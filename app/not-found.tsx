import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">This page does not exist</h1>
      <p className="mt-2 text-sm text-slate-500">Check the address, or go back to the catalog.</p>
      <Link href="/catalog" className="btn-primary mt-6">
        Go to the catalog
      </Link>
    </main>
  );
}
