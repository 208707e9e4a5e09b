/** The one way a failure becomes words for the rep. */
export function errorMessage(error: unknown, fallback = 'Something went wrong'): string {
	if (error instanceof Error && error.message.trim() !== '') return error.message;
	if (typeof error === 'string' && error.trim() !== '') return error;
	return fallback;
}
