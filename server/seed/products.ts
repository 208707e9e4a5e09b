import type { Product } from '../../src/lib/model/catalog';
import type { Random } from './random';

/** A line of products sold in the same formats, e.g. soft drinks in cans, bottles and packs. */
interface ProductFamily {
	prefix: string;
	items: readonly string[];
	/** label is appended to the item name; price range in cents per unit. */
	formats: ReadonlyArray<{ label: string; unit: string; price: readonly [number, number] }>;
}

const FAMILIES: readonly ProductFamily[] = [
	{
		prefix: 'BEV',
		items: ['Cola', 'Cola zero', 'Lemonade', 'Orange soda', 'Lemon-lime soda', 'Peach iced tea', 'Lemon iced tea', 'Tonic water', 'Ginger ale', 'Bitter lemon', 'Energy drink', 'Sparkling apple'],
		formats: [
			{ label: '33 cl can', unit: 'case of 24', price: [1100, 1900] },
			{ label: '50 cl bottle', unit: 'case of 24', price: [1800, 2800] },
			{ label: '1.5 L bottle', unit: 'pack of 6', price: [700, 1200] }
		]
	},
	{
		prefix: 'BEV',
		items: ['Still spring water', 'Natural mineral water', 'Sparkling mineral water', 'Lightly sparkling water', 'Lemon flavoured water', 'Peach flavoured water'],
		formats: [
			{ label: '50 cl bottle', unit: 'case of 24', price: [600, 1100] },
			{ label: '1 L glass bottle', unit: 'crate of 12', price: [1000, 1800] },
			{ label: '1.5 L bottle', unit: 'pack of 6', price: [300, 600] }
		]
	},
	{
		prefix: 'BEV',
		items: ['Orange juice', 'Apple juice', 'Multifruit juice', 'Grape juice', 'Tomato juice', 'Pineapple juice', 'Pink grapefruit juice', 'Apricot nectar'],
		formats: [
			{ label: '25 cl glass bottle', unit: 'case of 24', price: [1500, 2400] },
			{ label: '1 L carton', unit: 'case of 6', price: [900, 1500] }
		]
	},
	{
		prefix: 'BEV',
		items: ['Grenadine syrup', 'Mint syrup', 'Lemon syrup', 'Strawberry syrup', 'Orgeat syrup', 'Peach syrup'],
		formats: [
			{ label: '70 cl', unit: 'bottle', price: [350, 650] },
			{ label: '1 L', unit: 'case of 6', price: [2200, 3600] }
		]
	},
	{
		prefix: 'BER',
		items: ['Lager', 'Premium lager', 'Pale ale', 'IPA', 'Wheat beer', 'Amber ale', 'Stout', 'Abbey blonde', 'Abbey brown', 'Tripel', 'Alcohol-free lager', 'Lyon craft IPA', 'Lemon radler', 'Brut cider', 'Sweet cider'],
		formats: [
			{ label: '25 cl bottle', unit: 'case of 24', price: [1400, 2600] },
			{ label: '33 cl bottle', unit: 'case of 24', price: [1900, 3600] },
			{ label: '50 cl can', unit: 'case of 24', price: [2400, 4200] },
			{ label: '20 L keg', unit: 'keg', price: [6500, 11000] }
		]
	},
	{
		prefix: 'WIN',
		items: ['Beaujolais', 'Beaujolais-Villages', 'Morgon', 'Fleurie', 'Brouilly', 'Juliénas', 'Moulin-à-Vent', 'Côtes du Rhône red', 'Côtes du Rhône white', 'Crozes-Hermitage', 'Saint-Joseph', 'Mâcon-Villages', 'Bourgogne Aligoté', 'Coteaux du Lyonnais red', 'Coteaux du Lyonnais rosé', 'Côtes de Provence rosé', "Pays d'Oc Chardonnay", 'Bordeaux Supérieur', 'Muscadet'],
		formats: [
			{ label: '75 cl', unit: 'case of 6', price: [2800, 9000] },
			{ label: '37.5 cl', unit: 'case of 12', price: [3000, 7000] },
			{ label: '3 L bag-in-box', unit: 'box', price: [1400, 2600] }
		]
	},
	{
		prefix: 'WIN',
		items: ['Crémant de Bourgogne', 'Clairette de Die', 'Champagne brut', 'Champagne rosé'],
		formats: [
			{ label: '75 cl', unit: 'case of 6', price: [5000, 21000] },
			{ label: '150 cl magnum', unit: 'bottle', price: [2200, 7500] }
		]
	},
	{
		prefix: 'SPI',
		items: ['Pastis', 'Blended Scotch whisky', 'Single malt whisky', 'French whisky', 'Vodka', 'London dry gin', 'White rum', 'Amber rum', 'Cognac VS', 'Calvados', 'Génépi', 'Green Chartreuse', 'Yellow Chartreuse', 'Crème de cassis', 'Gentian aperitif', 'Red vermouth', 'Dry vermouth', 'Triple sec'],
		formats: [
			{ label: '70 cl', unit: 'bottle', price: [1200, 4500] },
			{ label: '1 L', unit: 'bottle', price: [1600, 5500] }
		]
	},
	{
		prefix: 'HOT',
		items: ['Espresso beans', 'Classic coffee beans', 'Ground coffee', 'Decaf ground coffee', 'Organic coffee beans'],
		formats: [
			{ label: '1 kg', unit: 'bag', price: [1200, 2600] },
			{ label: '250 g', unit: 'case of 12', price: [3000, 5500] }
		]
	},
	{
		prefix: 'HOT',
		items: ['Black tea', 'Earl Grey tea', 'Green tea', 'Mint green tea', 'Verbena infusion', 'Chamomile infusion', 'Rooibos'],
		formats: [
			{ label: '100 bags', unit: 'box', price: [500, 1500] },
			{ label: '25 bags', unit: 'case of 12', price: [1800, 3600] }
		]
	},
	{
		prefix: 'SNK',
		items: ['Salted crisps', 'Paprika crisps', 'Salt and vinegar crisps', 'Salted peanuts', 'Roasted pistachios', 'Cashew nuts', 'Mixed nuts', 'Pretzels', 'Green olives', 'Black olives', 'Cheese crackers', 'Milk chocolate bar', 'Dark chocolate bar', 'Butter shortbread', 'Madeleines', 'Cereal bar', 'Fruit gummies', 'Rosette de Lyon', 'Saucisson sec', 'Pink pralines'],
		formats: [
			{ label: 'snack size', unit: 'case of 20', price: [900, 2400] },
			{ label: 'sharing size', unit: 'case of 10', price: [1500, 3600] }
		]
	},
	{
		prefix: 'GRO',
		items: ['Spaghetti', 'Penne', 'Basmati rice', 'Long grain rice', 'Puy green lentils', 'Extra virgin olive oil', 'Sunflower oil', 'Tomato sauce', 'Dijon mustard', 'Wholegrain mustard', 'Red wine vinegar', 'Tuna in olive oil', 'Sardines in oil', 'Chickpeas', 'Apricot jam', 'Strawberry jam', 'Acacia honey', 'Cornflakes', 'UHT semi-skimmed milk', 'Caster sugar', 'Sugar cubes', 'Plain flour', 'Sea salt', 'Mayonnaise'],
		formats: [
			{ label: 'retail pack', unit: 'case of 12', price: [800, 3200] },
			{ label: 'catering pack', unit: 'case of 6', price: [1500, 6000] }
		]
	},
	{
		prefix: 'HOU',
		items: ['Washing-up liquid', 'Laundry liquid', 'Bin bags 50 L', 'Paper towels', 'Toilet paper', 'Paper napkins', 'Disposable cups', 'Sponges', 'Bleach', 'Hand soap', 'Glass cleaner', 'Floor cleaner'],
		formats: [
			{ label: 'retail', unit: 'case of 12', price: [1000, 3000] },
			{ label: 'bulk', unit: 'case of 4', price: [1500, 4500] }
		]
	}
];

export interface CatalogEntry extends Product {
	sku: string;
}

/** Every item in every format of its family: a few hundred SKUs like `BEV-0001`. */
export function buildCatalog(random: Random): CatalogEntry[] {
	const counters = new Map<string, number>();
	const entries: CatalogEntry[] = [];
	for (const family of FAMILIES) {
		for (const item of family.items) {
			// One position in the price band per item, so a premium item is premium in every format.
			const tier = random.next();
			for (const format of family.formats) {
				const n = (counters.get(family.prefix) ?? 0) + 1;
				counters.set(family.prefix, n);
				const [low, high] = format.price;
				entries.push({
					sku: `${family.prefix}-${String(n).padStart(4, '0')}`,
					name: `${item}, ${format.label}`,
					unit: format.unit,
					// Prices end in 0 cents like real list prices.
					price: Math.round((low + tier * (high - low)) / 10) * 10,
					active: random.chance(0.97)
				});
			}
		}
	}
	return entries;
}
