'use client';

import { createContext, useContext } from 'react';
import type { PreviewSample } from '@/lib/editor/expression-check';

/**
 * The data expression previews run on: the last test's trigger data and step outputs, else the
 * trigger's sample payload. Provided once by the editor so every expression field (in the inspector
 * and inside condition builders) previews on the same data without passing it down by hand.
 */
export const PreviewSampleContext = createContext<PreviewSample | undefined>(undefined);

export const usePreviewSample = () => useContext(PreviewSampleContext);
