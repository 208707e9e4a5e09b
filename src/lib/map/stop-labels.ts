import type { Map as MapLibreMap, Marker } from 'maplibre-gl';
import type { MapMarker } from './features';

/**
 * The stop numbers drawn over the map as HTML markers: real buttons a finger (and a
 * screen reader) can use, named "Stop 2: Café des Pentes", that open the stop.
 */
export class StopLabels {
	readonly #labels = new Map<string, Marker>();

	constructor(
		private readonly MarkerClass: typeof Marker,
		private readonly map: MapLibreMap,
		private readonly onSelect: (name: string) => void
	) {}

	sync(markers: readonly MapMarker[]): void {
		const wanted = new Map(markers.map((marker) => [marker.name, marker]));
		for (const [name, label] of this.#labels) {
			if (wanted.has(name)) continue;
			label.remove();
			this.#labels.delete(name);
		}
		for (const [name, marker] of wanted) {
			let label = this.#labels.get(name);
			if (!label) {
				const element = document.createElement('button');
				element.type = 'button';
				element.className = 'stop-label';
				element.addEventListener('click', (event) => {
					event.stopPropagation();
					this.onSelect(name);
				});
				label = new this.MarkerClass({ element, anchor: 'center' }).setLngLat([marker.position.lng, marker.position.lat]).addTo(this.map);
				this.#labels.set(name, label);
			}
			label.setLngLat([marker.position.lng, marker.position.lat]);
			const element = label.getElement();
			element.textContent = marker.label;
			element.setAttribute('aria-label', `Stop ${marker.label}: ${marker.title}`);
			element.dataset.status = marker.status ?? '';
		}
	}

	clear(): void {
		for (const label of this.#labels.values()) label.remove();
		this.#labels.clear();
	}
}
