'use strict';

/**
 * The fixed vocabulary the seeder draws from: companies, workspace users,
 * cards, categories and typical invoice lines. Uids are not here; the seeder
 * gives every object a PRNG-made uid.
 */

/**
 * Where a company is decides currency, country, language, VAT rates and the
 * invoice-number style.
 */
const LOCALES = {
	TR: {
		currency: 'TRY',
		country: 'TR',
		language: 'tr',
		vatRates: ['20.00', '10.00', '1.00'],
		numberStyle: 'gib',
	},
	DE: {
		currency: 'EUR',
		country: 'DE',
		language: 'de',
		vatRates: ['19.00', '7.00'],
		numberStyle: 're',
	},
	FR: {
		currency: 'EUR',
		country: 'FR',
		language: 'fr',
		vatRates: ['20.00', '10.00', '5.50'],
		numberStyle: 'f',
	},
	GB: {
		currency: 'GBP',
		country: 'GB',
		language: 'en',
		vatRates: ['20.00', '5.00', '0.00'],
		numberStyle: 'inv',
	},
	US: {
		currency: 'USD',
		country: 'US',
		language: 'en',
		vatRates: ['0.00', '8.25'],
		numberStyle: 'plain',
	},
};

/** Company fields as the API shows them (docs/API.md, Listing), plus a locale. */
const COMPANIES = [
	{
		name: 'Anadolu Kırtasiye Ltd. Şti.',
		address: 'Bağdat Cd. No:112, Kadıköy, İstanbul',
		tax_number: '1234567890',
		tax_office: 'Kadıköy',
		phone: '+90 216 555 01 23',
		locale: 'TR',
	},
	{
		name: 'Sample Corporation Ltd.',
		address: '123 Main Street, Anytown, USA 12345',
		tax_number: null,
		tax_office: null,
		phone: null,
		locale: 'US',
	},
	{
		name: 'Müller & Söhne GmbH',
		address: 'Hauptstraße 5, 10115 Berlin',
		tax_number: 'DE811907980',
		tax_office: 'Finanzamt Berlin Mitte',
		phone: '+49 30 1234567',
		locale: 'DE',
	},
	{
		name: 'Bosphorus Cloud Hosting A.Ş.',
		address: 'Büyükdere Cd. No:185, Şişli, İstanbul',
		tax_number: '9876543210',
		tax_office: 'Zincirlikuyu',
		phone: null,
		locale: 'TR',
	},
	{
		name: 'Thames Office Supplies plc',
		address: '221 Baker Street, London NW1 6XE',
		tax_number: 'GB123456789',
		tax_office: null,
		phone: '+44 20 7946 0000',
		locale: 'GB',
	},
	{
		name: 'Le "Petit" Café SARL',
		address: 'Rue de Rivoli 10, 75001 Paris',
		tax_number: 'FR40303265045',
		tax_office: null,
		phone: null,
		locale: 'FR',
	},
	{
		name: 'Northwind Traders Inc.',
		address: '1 Market St, San Francisco, CA 94105',
		tax_number: '94-1234567',
		tax_office: null,
		phone: '+1 415 555 0100',
		locale: 'US',
	},
	{
		name: 'Ege Akaryakıt A.Ş.',
		address: 'Kıbrıs Şehitleri Cd. No:40, Alsancak, İzmir',
		tax_number: '4567890123',
		tax_office: 'Kordon',
		phone: '+90 232 555 44 55',
		locale: 'TR',
	},
];

/** Workspace users (docs/API.md, `workspace_user`). The first one owns the API key. */
const WORKSPACE_USERS = [
	{ email: 'john.doe@example.com', first_name: 'John', last_name: 'Doe', role_type: 'admin' },
	{
		email: 'ayse.yilmaz@example.com',
		first_name: 'Ayşe',
		last_name: 'Yılmaz',
		role_type: 'accountant',
	},
	{
		email: 'max.mustermann@example.com',
		first_name: 'Max',
		last_name: 'Mustermann',
		role_type: 'member',
	},
];

const CARDS = [
	{ name: 'Company Visa', last_four: '4242' },
	{ name: 'Amex Corporate', last_four: '0005' },
	{ name: 'Travel Mastercard', last_four: '5454' },
	{ name: 'Marketing Visa', last_four: '1881' },
];

/**
 * Categories and the lines their invoices carry. `unit` is an item unit
 * (k, p, m, l); `price` is the per-unit range including VAT; `fractional`
 * quantities are for kilograms, meters and liters.
 */
const CATEGORIES = [
	{
		name: 'Office Supplies',
		lines: [
			{
				name: 'Printer paper A4',
				description: '80 g/m², box of 5 reams',
				unit: 'p',
				price: [18, 45],
			},
			{ name: 'Ballpoint pens', description: 'Blue, pack of 50', unit: 'p', price: [6, 15] },
			{ name: 'Office chair', description: 'Ergonomic, mesh back', unit: 'p', price: [120, 480] },
			{
				name: 'Cable duct',
				description: 'White PVC, 40 mm',
				unit: 'm',
				price: [2, 6],
				fractional: true,
			},
		],
	},
	{
		name: 'Travel',
		lines: [
			{ name: 'Taxi fare', description: 'Airport transfer', unit: 'p', price: [15, 90] },
			{
				name: 'Hotel night',
				description: 'Single room, breakfast included',
				unit: 'p',
				price: [70, 260],
			},
			{ name: 'Train ticket', description: 'Second class, return', unit: 'p', price: [25, 180] },
		],
	},
	{
		name: 'Software & Hosting',
		lines: [
			{
				name: 'Cloud hosting',
				description: 'Monthly plan, 4 vCPU / 16 GB',
				unit: 'p',
				price: [40, 400],
			},
			{
				name: 'SaaS subscription',
				description: 'Annual licence, per seat',
				unit: 'p',
				price: [8, 120],
			},
			{ name: 'Domain renewal', description: 'One year', unit: 'p', price: [10, 40] },
		],
	},
	{
		name: 'Meals & Entertainment',
		lines: [
			{ name: 'Business lunch', description: 'Client meeting', unit: 'p', price: [12, 60] },
			{
				name: 'Espresso beans',
				description: 'Single origin, roasted',
				unit: 'k',
				price: [18, 40],
				fractional: true,
			},
			{
				name: 'Mineral water',
				description: 'Still, 0.5 l bottles',
				unit: 'l',
				price: [0.5, 2],
				fractional: true,
			},
		],
	},
	{
		name: 'Fuel',
		lines: [
			{
				name: 'Diesel',
				description: 'Fleet card purchase',
				unit: 'l',
				price: [1.4, 2.1],
				fractional: true,
			},
			{ name: 'Unleaded 95', description: null, unit: 'l', price: [1.5, 2.2], fractional: true },
			{ name: 'Car wash', description: 'Exterior and interior', unit: 'p', price: [8, 30] },
		],
	},
];

module.exports = { LOCALES, COMPANIES, WORKSPACE_USERS, CARDS, CATEGORIES };
