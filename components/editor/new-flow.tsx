'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { emptyDocument } from '@/lib/editor/editor-document';
import { createDraftFlow } from './editor-api';

/** `/flows/new`: makes an empty draft at once (so autosave has somewhere to save) and opens it. */
export function NewFlow() {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    createDraftFlow('Untitled flow', emptyDocument('Untitled flow')).then(
      (flow) => router.replace(`/flows/${flow.id}`),
      (err: unknown) => setError(err instanceof Error ? err.message : 'The flow could not be created.'),
    );
  }, [router]);
  return (
    <div className="flex h-screen items-center justify-center gap-2 text-sm text-slate-600">
      {error ? (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      ) : (
        <>
          <Spinner /> Creating a new flow…
        </>
      )}
    </div>
  );
}
