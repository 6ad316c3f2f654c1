'use client';

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { EditorState } from '@/lib/editor/editor-store';

/** One store per open editor; components read it with `useEditor(selector)`. */
export const EditorStoreContext = createContext<StoreApi<EditorState> | null>(null);

export function useEditorStore(): StoreApi<EditorState> {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error('useEditorStore must be used inside the flow editor');
  return store;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}
