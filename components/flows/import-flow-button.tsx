'use client';

import { useState } from 'react';
import { ImportFlowDialog } from './import-flow-dialog';

export function ImportFlowButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn-secondary" onClick={() => setOpen(true)}>
        <svg
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth={1.8}
          strokeLinecap="round"
          strokeLinejoin="round"
          className="h-4 w-4"
          aria-hidden="true"
        >
          <path d="M12 15V4M7 9l5-5 5 5M5 20h14" />
        </svg>
        Import
      </button>
      <ImportFlowDialog open={open} onOpenChange={setOpen} />
    </>
  );
}
