import Image from 'next/image';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-8 flex items-center gap-3">
        <Image src="/icons/logo.svg" alt="" width={40} height={40} priority />
        <span className="text-xl font-semibold tracking-tight">Dynamics Flow Designer</span>
      </div>
      <div className="card w-full max-w-sm p-6 sm:p-8">{children}</div>
    </main>
  );
}
