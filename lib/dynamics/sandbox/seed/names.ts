/** Word lists for deterministic, realistic-looking seed data. */
export const companyStems = [
  'Adventure Works', 'Alpine Ski House', 'Blue Yonder Airlines', 'City Power & Light', 'Coho Winery',
  'Contoso Pharmaceuticals', 'Fabrikam', 'Fourth Coffee', 'Litware', 'Lucerne Publishing', 'Margie\'s Travel',
  'Northwind Traders', 'Proseware', 'Relecloud', 'School of Fine Art', 'Southridge Video', 'Tailspin Toys',
  'Trey Research', 'Wide World Importers', 'Woodgrove Bank', 'A. Datum', 'Graphic Design Institute',
  'Humongous Insurance', 'Lamna Healthcare', 'VanArsdel', 'Wingtip Toys', 'Consolidated Messenger',
  'Bellows College', 'Best For You Organics', 'First Up Consultants',
];
export const companySuffixes = ['Inc.', 'Ltd.', 'Group', 'Corporation', 'LLC', 'Partners'];
export const firstNames = [
  'Alex', 'Maria', 'Yvonne', 'Rene', 'Susanna', 'Paul', 'Sidney', 'Scott', 'Nancy', 'Thomas', 'Patrick',
  'Jim', 'Robert', 'Cathan', 'Eva', 'Adele', 'Megan', 'Nestor', 'Lidia', 'Diego', 'Isaiah', 'Joni',
  'Lee', 'Lynne', 'Miriam', 'Pradeep', 'Grady', 'Henrietta', 'Johanna', 'Irvin', "Dana", 'Aiko', 'Björn',
];
export const lastNames = [
  'McKay', 'Campbell', 'Higa', 'Valdes', 'Stubberod', 'Cannon', 'Higa', 'Konersmann', 'Anderson', 'Andrews',
  'Glenn', 'Wilson', 'Lyon', 'Cook', 'Corets', 'Vance', 'Bowen', 'Wilke', 'Holloway', 'Siciliani',
  'Langer', 'Sherman', 'Zrike', 'Robbins', 'Behrens', 'Gupta', 'Archie', 'Mueller', 'Lauer', "O'Brian",
  'Tanaka', 'Sørensen', 'Nakamura',
];
export const cities: Array<[string, string, string, string]> = [
  ['Redmond', 'WA', '98052', 'United States'],
  ['Seattle', 'WA', '98101', 'United States'],
  ['Portland', 'OR', '97201', 'United States'],
  ['San Francisco', 'CA', '94105', 'United States'],
  ['Austin', 'TX', '78701', 'United States'],
  ['Chicago', 'IL', '60601', 'United States'],
  ['New York', 'NY', '10001', 'United States'],
  ['Toronto', 'ON', 'M5H 2N2', 'Canada'],
  ['London', '', 'EC1A 1BB', 'United Kingdom'],
  ['Berlin', '', '10115', 'Germany'],
];
export const streets = ['Main St', 'Pine St', 'Oak Ave', 'Maple Rd', 'Cedar Blvd', 'Lake Dr', 'Market St', 'Elm St'];
export const jobTitles = ['Purchasing Manager', 'CEO', 'CFO', 'Sales Director', 'IT Manager', 'Buyer', 'Operations Lead', 'Owner'];
export const productNames = [
  'Surface Laptop', 'Surface Pro', 'Wireless Mouse', 'Ergonomic Keyboard', '27" Monitor', 'USB-C Dock',
  'Noise Cancelling Headset', 'Webcam HD', 'Office Chair', 'Standing Desk', 'Printer Toner', 'A4 Paper (500)',
  'Installation Service', 'Support Plan (1 yr)', 'Training Day', 'Shipping & Handling', 'Router Pro',
  'Network Switch 24p', 'Cloud Backup (1 TB)', 'Security Audit',
];
export const projectNames = [
  'ERP rollout', 'Website relaunch', 'Data migration', 'Office move', 'Security review', 'CRM training',
  'Network upgrade', 'Mobile app', 'Cloud migration', 'BI dashboards', 'Warehouse automation', 'Call centre setup',
];
