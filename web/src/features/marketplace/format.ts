import type { CleaningType } from './api';

export const cleaningTypeLabels: Record<CleaningType, string> = {
  dust_up: 'Dust up',
  spot_clean: 'Spot clean',
  full_clean: 'Full clean',
};

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
export const formatPrice = (price: number) => money.format(price);

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatWhen = (iso: string) => when.format(new Date(iso));
