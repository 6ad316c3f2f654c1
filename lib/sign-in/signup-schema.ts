import { z } from 'zod';

export const signupSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name.').max(100),
    email: z.string().trim().toLowerCase().email('Enter a valid email address.').max(254),
    password: z.string().min(10, 'Use at least 10 characters.').max(256),
  })
  .strict();

export type Signup = z.infer<typeof signupSchema>;
