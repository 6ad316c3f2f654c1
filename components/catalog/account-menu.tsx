'use client';

import { DropdownMenu } from 'radix-ui';
import { useRef } from 'react';
import { Icon } from '@/components/ui/icon';

export interface MenuAction {
  id: string;
  label: string;
  danger?: boolean;
  /** The action moves focus itself (a dialog, an inline form): the menu must not take it back to its button. */
  movesFocus?: boolean;
  /** Receives the menu's button, for whatever the action opens to hand focus back to when it closes. */
  onSelect: (trigger: HTMLButtonElement | null) => void;
}

const ITEM =
  'block w-full cursor-default select-none px-4 py-2 text-left text-sm outline-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800';

/** The ⋮ options menu of an account: Radix gives it the menu keyboard (arrows, Home/End, typeahead, Escape) and focus return. */
export function AccountMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const triggerRef = useRef<HTMLButtonElement>(null);
  const chosen = useRef<MenuAction | null>(null);

  return (
    // Not modal: the page keeps its scrollbar (no layout jump) and a click elsewhere lands where it was aimed.
    <DropdownMenu.Root modal={false} onOpenChange={(open) => open && (chosen.current = null)}>
      <DropdownMenu.Trigger
        ref={triggerRef}
        data-testid="account-menu"
        className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 data-[state=open]:bg-slate-100 data-[state=open]:text-slate-800 dark:hover:bg-slate-800 dark:hover:text-slate-100 dark:data-[state=open]:bg-slate-800 dark:data-[state=open]:text-slate-100"
      >
        <Icon name="more" />
        <span className="sr-only">Options for {label}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          collisionPadding={8}
          loop
          onCloseAutoFocus={(event) => {
            if (chosen.current?.movesFocus) event.preventDefault();
          }}
          className="z-20 w-52 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 text-slate-900 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
        >
          {actions.map((action) => (
            <DropdownMenu.Item
              key={action.id}
              onSelect={() => {
                chosen.current = action;
                action.onSelect(triggerRef.current);
              }}
              className={`${ITEM} ${action.danger ? 'text-red-700 dark:text-red-300' : ''}`}
            >
              {action.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
