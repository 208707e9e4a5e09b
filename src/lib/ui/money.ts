// A fixed locale keeps amounts identical on every device and in tests; the currency is the business's.
const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

/** Integer cents to "€12.34". */
export function formatMoney(cents: number): string {
	return euros.format(cents / 100);
}
