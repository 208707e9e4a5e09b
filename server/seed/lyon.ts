/**
 * Real places for the demo territory: Lyon and its inner suburbs, split north /
 * centre / south by latitude. Street names and postal codes are real so the map
 * and the addresses look like a territory a rep would recognise.
 */

export const CITY_BOUNDS = { south: 45.7, north: 45.8, west: 4.78, east: 4.92 } as const;

export interface Territory {
	id: string;
	name: string;
	/** Accounts of this territory stay inside this latitude band. */
	latMin: number;
	latMax: number;
}

export const TERRITORIES: readonly Territory[] = [
	{ id: 'lyon-north', name: 'Lyon North', latMin: 45.772, latMax: 45.798 },
	{ id: 'lyon-centre', name: 'Lyon Centre', latMin: 45.742, latMax: 45.768 },
	{ id: 'lyon-south', name: 'Lyon South', latMin: 45.702, latMax: 45.738 }
];

export interface Neighbourhood {
	name: string;
	territory: string;
	city: string;
	postalCode: string;
	lat: number;
	lng: number;
	streets: readonly string[];
}

export const NEIGHBOURHOODS: readonly Neighbourhood[] = [
	{
		name: 'Croix-Rousse',
		territory: 'lyon-north',
		city: 'Lyon',
		postalCode: '69004',
		lat: 45.779,
		lng: 4.829,
		streets: ['Boulevard de la Croix-Rousse', 'Grande Rue de la Croix-Rousse', "Rue d'Austerlitz", 'Rue Hénon', 'Rue Jacquard', 'Rue du Mail', 'Rue Belfort']
	},
	{
		name: 'Vaise',
		territory: 'lyon-north',
		city: 'Lyon',
		postalCode: '69009',
		lat: 45.777,
		lng: 4.805,
		streets: ['Grande Rue de Vaise', 'Rue de Bourgogne', 'Rue Marietton', 'Quai Paul Sédallian', 'Rue Saint-Pierre de Vaise']
	},
	{
		name: 'Caluire',
		territory: 'lyon-north',
		city: 'Caluire-et-Cuire',
		postalCode: '69300',
		lat: 45.793,
		lng: 4.846,
		streets: ['Grande Rue Saint-Clair', 'Avenue Barthélémy Thimonnier', 'Chemin de Crépieux', 'Avenue Élie Vignal', 'Rue Pasteur']
	},
	{
		name: 'Villeurbanne Tonkin',
		territory: 'lyon-north',
		city: 'Villeurbanne',
		postalCode: '69100',
		lat: 45.779,
		lng: 4.868,
		streets: ['Avenue Roberto Rossellini', 'Boulevard du 11 Novembre 1918', 'Rue Francis de Pressensé', 'Avenue Condorcet', 'Rue Anatole France']
	},
	{
		name: 'Cité Internationale',
		territory: 'lyon-north',
		city: 'Lyon',
		postalCode: '69006',
		lat: 45.781,
		lng: 4.852,
		streets: ['Quai Charles de Gaulle', 'Boulevard des Belges', 'Boulevard de Stalingrad', 'Avenue de Grande-Bretagne', 'Rue Tronchet']
	},
	{
		name: 'Terreaux',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69001',
		lat: 45.765,
		lng: 4.833,
		streets: ["Rue d'Algérie", 'Rue Sainte-Catherine', 'Rue Royale', 'Rue Paul Chenavard', 'Rue de la Martinière', 'Montée de la Grande Côte']
	},
	{
		name: 'Bellecour',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69002',
		lat: 45.758,
		lng: 4.834,
		streets: ['Rue Victor Hugo', 'Rue Mercière', 'Rue Édouard Herriot', 'Rue du Président Carnot', 'Rue de Brest', 'Quai Saint-Antoine']
	},
	{
		name: 'Part-Dieu',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69003',
		lat: 45.76,
		lng: 4.857,
		streets: ['Rue Garibaldi', 'Cours Lafayette', 'Rue Paul Bert', 'Avenue Félix Faure', 'Rue Moncey', 'Rue Servient', 'Rue de Bonnel']
	},
	{
		name: 'Brotteaux',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69006',
		lat: 45.765,
		lng: 4.851,
		streets: ['Cours Vitton', 'Rue Duguesclin', 'Avenue Foch', 'Rue Bossuet', "Rue Tête d'Or", 'Cours Franklin Roosevelt', 'Rue Vendôme']
	},
	{
		name: 'Vieux Lyon',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69005',
		lat: 45.761,
		lng: 4.826,
		streets: ['Rue Saint-Jean', 'Rue du Bœuf', 'Rue Saint-Georges', 'Quai Romain Rolland', 'Rue de la Quarantaine']
	},
	{
		name: 'Guillotière',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69007',
		lat: 45.753,
		lng: 4.843,
		streets: ['Grande Rue de la Guillotière', 'Cours Gambetta', 'Rue de Marseille', 'Rue Béchevelin', 'Rue Sébastien Gryphe']
	},
	{
		name: 'Montchat',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69003',
		lat: 45.756,
		lng: 4.886,
		streets: ['Cours du Docteur Long', 'Rue Charles Richard', 'Route de Genas', 'Rue Trarieux']
	},
	{
		name: 'Gratte-Ciel',
		territory: 'lyon-centre',
		city: 'Villeurbanne',
		postalCode: '69100',
		lat: 45.765,
		lng: 4.88,
		streets: ['Avenue Henri Barbusse', 'Cours Émile Zola', 'Rue Paul Verlaine', 'Rue Michel Servet', 'Rue du 4 Août 1789']
	},
	{
		name: 'Monplaisir',
		territory: 'lyon-centre',
		city: 'Lyon',
		postalCode: '69008',
		lat: 45.746,
		lng: 4.871,
		streets: ['Avenue des Frères Lumière', 'Cours Albert Thomas', 'Rue Antoine Lumière', 'Rue Saint-Maurice', 'Rue Laënnec']
	},
	{
		name: 'Gerland',
		territory: 'lyon-south',
		city: 'Lyon',
		postalCode: '69007',
		lat: 45.728,
		lng: 4.834,
		streets: ['Avenue Jean Jaurès', 'Rue de Gerland', 'Avenue Tony Garnier', 'Boulevard Yves Farge', 'Rue Crépet']
	},
	{
		name: 'États-Unis',
		territory: 'lyon-south',
		city: 'Lyon',
		postalCode: '69008',
		lat: 45.728,
		lng: 4.864,
		streets: ['Boulevard des États-Unis', 'Avenue Paul Santy', 'Rue Professeur Beauvisage', 'Route de Vienne', 'Rue Audibert et Lavirotte']
	},
	{
		name: 'Mermoz',
		territory: 'lyon-south',
		city: 'Lyon',
		postalCode: '69008',
		lat: 45.731,
		lng: 4.887,
		streets: ['Avenue Jean Mermoz', 'Boulevard Pinel', 'Rue Pierre Delore', 'Avenue Général Frère']
	},
	{
		name: 'Confluence',
		territory: 'lyon-south',
		city: 'Lyon',
		postalCode: '69002',
		lat: 45.734,
		lng: 4.818,
		streets: ['Cours Charlemagne', 'Quai Perrache', 'Rue Casimir Périer', 'Quai Rambaud', 'Rue Smith']
	},
	{
		name: 'Oullins',
		territory: 'lyon-south',
		city: 'Oullins',
		postalCode: '69600',
		lat: 45.716,
		lng: 4.806,
		streets: ['Grande Rue', 'Boulevard Émile Zola', 'Rue Pierre Sémard', 'Rue de la République']
	},
	{
		name: 'Saint-Fons',
		territory: 'lyon-south',
		city: 'Saint-Fons',
		postalCode: '69190',
		lat: 45.709,
		lng: 4.853,
		streets: ['Rue Carnot', 'Avenue Jean Jaurès', 'Rue Anatole France', 'Boulevard Yves Farge']
	},
	{
		name: 'Vénissieux',
		territory: 'lyon-south',
		city: 'Vénissieux',
		postalCode: '69200',
		lat: 45.708,
		lng: 4.884,
		streets: ['Boulevard Marcel Sembat', 'Avenue Marcel Houël', 'Rue Paul Bert', 'Avenue Jean Cagne']
	},
	{
		name: 'Bron',
		territory: 'lyon-south',
		city: 'Bron',
		postalCode: '69500',
		lat: 45.732,
		lng: 4.908,
		streets: ['Avenue Franklin Roosevelt', 'Avenue Camille Rousset', 'Boulevard Pinel', 'Rue Paul Pic']
	}
];

/** East of the Rhône is served from the eastern depot, the rest from the western one. */
export const WAREHOUSES = ['lyon-east', 'lyon-west'] as const;
export function warehouseFor(lng: number): (typeof WAREHOUSES)[number] {
	return lng >= 4.842 ? 'lyon-east' : 'lyon-west';
}

export const SHOP_TYPES: ReadonlyArray<readonly [string, number]> = [
	['Épicerie', 8],
	['Cave', 6],
	['Café', 7],
	['Bistrot', 5],
	['Bar-Tabac', 5],
	['Superette', 4],
	['Brasserie', 4],
	['Bouchon', 3],
	['Épicerie fine', 3],
	['Comptoir', 2],
	['Traiteur', 2],
	['Restaurant', 3],
	['Hôtel', 1]
];

export const PLACE_SUFFIXES = [
	'du Marché',
	'du Parc',
	'du Quai',
	'du Théâtre',
	'du Port',
	'du Coin',
	'du Rhône',
	'du Soleil',
	'de la Place',
	'de la Gare',
	'de la Fontaine',
	'de la Poste',
	'de la Saône',
	'de la Halle',
	'des Canuts',
	'des Pentes',
	'des Traboules',
	'des Halles',
	'des Quais',
	'des Gones'
] as const;

export const FIRST_NAMES = [
	'Camille', 'Julien', 'Sophie', 'Isabelle', 'Thomas', 'Marie', 'Nicolas', 'Claire', 'Antoine', 'Julie',
	'Pierre', 'Laura', 'Lucas', 'Emma', 'Hugo', 'Léa', 'Maxime', 'Chloé', 'Alexandre', 'Manon',
	'Romain', 'Sarah', 'Mathieu', 'Pauline', 'Guillaume', 'Céline', 'Karim', 'Nadia', 'Yasmine', 'Mehdi',
	'Sébastien', 'Aurélie', 'François', 'Nathalie', 'Olivier', 'Sandrine', 'Benoît', 'Élodie', 'Vincent', 'Amandine',
	'Jérôme', 'Caroline', 'Stéphane', 'Valérie', 'Rachid', 'Fatima', 'Paul', 'Louise', 'Théo', 'Inès'
] as const;

export const SURNAMES = [
	'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
	'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
	'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand',
	'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin',
	'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson',
	'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Roche', 'Noël', 'Meyer', 'Lucas',
	'Meunier', 'Marchand', 'Dufour', 'Blanchard', 'Brun', 'Dumas', 'Brunet', 'Colin', 'Renard', 'Arnaud',
	'Rolland', 'Caron', 'Aubert', 'Giraud', 'Vidal', 'Renaud', 'Picard', 'Gaillard', 'Lacroix', 'Fabre',
	'Rivière', 'Moulin', 'Berger', 'Fleury', 'Benali', 'Haddad', 'Diallo', 'Tran', 'Ferreira', 'Da Silva'
] as const;

export const CONTACT_ROLES: ReadonlyArray<readonly [string, number]> = [
	['Owner', 5],
	['Manager', 4],
	['Buyer', 3],
	['Head of bar', 1],
	['Assistant manager', 2],
	['Accounts', 1],
	['Chef', 1]
];

export const ACCOUNT_NOTES = [
	'Deliveries before 10:00 only: the street is pedestrian after that.',
	'Closed on Mondays.',
	'Owner prefers visits on Tuesday mornings.',
	'Pays by bank transfer at 30 days.',
	'Ask for the manager: the staff cannot sign orders.',
	'Strong on Beaujolais crus; push them before the holidays.',
	'Small storage room, prefers smaller and more frequent orders.',
	'Terrace from May to September: soft drink and beer volumes double.',
	'Interested in the alcohol-free range.',
	'Parking is difficult; use the car park two streets away.',
	'A competitor supplies their coffee. Worth trying to win it back.',
	'New owner since last year; relationship still being built.',
	'Asked for a display stand for the spring campaign.',
	'Keep an eye on overdue invoices.',
	'Open late on weekends; the busy days are Friday and Saturday.'
] as const;
