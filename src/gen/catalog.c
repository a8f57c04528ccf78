/*
 * gen catalog: the fixed tables the generator draws from. Changing any entry changes
 * the output, so it bumps gen_version().
 */
#include <string.h>

#include "gen/internal.h"

const char *const gen_given_names[] = {
	"Aaron", "Abigail", "Adam", "Adrian", "Ahmed", "Aisha", "Alan", "Albert", "Alejandro",
	"Alexander", "Alice", "Alicia", "Amanda", "Amelia", "Amir", "Amy", "Ana", "Andre",
	"Andrea", "Andrew", "Angela", "Anna", "Anthony", "Antonio", "Arjun", "Arthur", "Ashley",
	"Barbara", "Benjamin", "Bernard", "Beth", "Brandon", "Brian", "Bruno", "Caleb", "Carl",
	"Carla", "Carlos", "Carmen", "Caroline", "Catherine", "Charles", "Charlotte", "Chen",
	"Chloe", "Christian", "Christina", "Christopher", "Claire", "Colin", "Daniel", "Daniela",
	"David", "Deborah", "Dennis", "Diana", "Diego", "Dmitri", "Dominic", "Donna", "Dylan",
	"Edward", "Elena", "Eli", "Elizabeth", "Ella", "Emily", "Emma", "Eric", "Erik", "Ethan",
	"Eva", "Fatima", "Felix", "Fernando", "Fiona", "Frances", "Francisco", "Frank", "Gabriel",
	"Gary", "George", "Grace", "Gregory", "Hannah", "Hans", "Harold", "Harry", "Helen",
	"Henry", "Hiroshi", "Hugo", "Ian", "Ibrahim", "Ines", "Isaac", "Isabel", "Ivan", "Jack",
	"Jacob", "James", "Jan", "Jane", "Jasmine", "Jason", "Javier", "Jennifer", "Jeremy",
	"Jessica", "Joan", "John", "Jonathan", "Jorge", "Joseph", "Joshua", "Juan", "Julia",
	"Julian", "Karen", "Katherine", "Kenji", "Kevin", "Kim", "Laura", "Lauren", "Leo", "Li",
	"Liam", "Linda", "Lisa", "Lucas", "Lucia", "Luis", "Maria", "Mark", "Martin", "Mary",
	"Mateo", "Matthew", "Maya", "Megan", "Mei", "Michael", "Michelle", "Miguel", "Mohammed",
	"Monica", "Nadia", "Natalie", "Nathan", "Nicholas", "Nicole", "Noah", "Olivia", "Omar",
	"Oscar", "Pablo", "Patricia", "Patrick", "Paul", "Paula", "Peter", "Philip", "Priya",
	"Rachel", "Rafael", "Rahul", "Raymond", "Rebecca", "Ricardo", "Richard", "Robert",
	"Rosa", "Ryan", "Samantha", "Samuel", "Sandra", "Sara", "Sarah", "Scott", "Sean",
	"Sergei", "Sofia", "Sophie", "Stephen", "Steven", "Susan", "Takeshi", "Teresa", "Thomas",
	"Timothy", "Tom", "Valentina", "Victor", "Victoria", "Vincent", "Walter", "Wei",
	"William", "Yara", "Yusuf", "Zoe",
};
const size_t gen_n_given_names = W_ARRAY_LEN(gen_given_names);

const char *const gen_surnames[] = {
	"Abbott", "Adams", "Ahmed", "Alexander", "Ali", "Allen", "Alvarez", "Anderson",
	"Andersson", "Bailey", "Baker", "Banerjee", "Barnes", "Becker", "Bell", "Bennett",
	"Berg", "Bianchi", "Brooks", "Brown", "Bryant", "Butler", "Campbell", "Carter", "Castro",
	"Chavez", "Chen", "Clark", "Coleman", "Collins", "Cook", "Cooper", "Costa", "Cox",
	"Cruz", "Das", "Davies", "Davis", "Diaz", "Dubois", "Edwards", "Evans", "Fischer",
	"Fisher", "Flores", "Ford", "Foster", "Garcia", "Gibson", "Gomez", "Gonzalez", "Graham",
	"Gray", "Green", "Griffin", "Gupta", "Hall", "Hansen", "Harris", "Hayes", "Henderson",
	"Hernandez", "Hill", "Hoffmann", "Howard", "Hughes", "Huang", "Ibrahim", "Ito",
	"Jackson", "James", "Jansen", "Jenkins", "Johansson", "Johnson", "Jones", "Jordan",
	"Kang", "Kaur", "Kelly", "Khan", "Kim", "King", "Klein", "Kowalski", "Kumar", "Larsen",
	"Lee", "Lewis", "Li", "Lin", "Liu", "Long", "Lopez", "Martin", "Martinez", "Mason",
	"Meyer", "Miller", "Mitchell", "Moore", "Morales", "Morgan", "Morris", "Muller",
	"Murphy", "Murray", "Nakamura", "Nelson", "Nguyen", "Nielsen", "Novak", "Okafor",
	"Olsen", "Ortiz", "Owens", "Park", "Parker", "Patel", "Perez", "Perry", "Peters",
	"Petrov", "Phillips", "Powell", "Price", "Ramirez", "Reed", "Reyes", "Richardson",
	"Rivera", "Roberts", "Robinson", "Rodriguez", "Rogers", "Romano", "Ross", "Russell",
	"Sanchez", "Sanders", "Santos", "Sato", "Schmidt", "Schneider", "Scott", "Shah",
	"Silva", "Simmons", "Singh", "Smith", "Sokolov", "Stewart", "Sullivan", "Suzuki",
	"Tanaka", "Taylor", "Thomas", "Thompson", "Torres", "Turner", "Vasquez", "Wagner",
	"Walker", "Wallace", "Wang", "Ward", "Watanabe", "Watson", "Weber", "White", "Williams",
	"Wilson", "Wood", "Wright", "Wu", "Yamamoto", "Yang", "Young", "Zhang", "Zhao",
	"Zimmermann",
};
const size_t gen_n_surnames = W_ARRAY_LEN(gen_surnames);

static const char *const t_it[] = { "Systems Administrator", "Network Engineer",
	"Helpdesk Technician", "Security Analyst", "Database Administrator", "IT Support Specialist",
	"Cloud Engineer", NULL };
static const char *const t_eng[] = { "Software Engineer", "Senior Software Engineer",
	"QA Engineer", "DevOps Engineer", "Site Reliability Engineer", "Data Engineer", NULL };
static const char *const t_sales[] = { "Account Executive", "Sales Representative",
	"Sales Engineer", "Account Manager", NULL };
static const char *const t_mkt[] = { "Marketing Specialist", "Content Writer",
	"Product Marketing Manager", "Graphic Designer", NULL };
static const char *const t_fin[] = { "Accountant", "Financial Analyst", "Payroll Specialist",
	"Controller", NULL };
static const char *const t_hr[] = { "HR Generalist", "Recruiter", "HR Business Partner",
	"Benefits Specialist", NULL };
static const char *const t_legal[] = { "Corporate Counsel", "Paralegal", "Compliance Officer",
	NULL };
static const char *const t_ops[] = { "Operations Analyst", "Logistics Coordinator",
	"Project Manager", NULL };
static const char *const t_sup[] = { "Support Engineer", "Customer Success Manager",
	"Support Specialist", NULL };
static const char *const t_res[] = { "Research Scientist", "Data Scientist",
	"Research Assistant", NULL };
static const char *const t_proc[] = { "Buyer", "Procurement Analyst", "Vendor Manager", NULL };
static const char *const t_fac[] = { "Facilities Coordinator", "Office Manager",
	"Maintenance Technician", NULL };

/* IT first: presets take the first N departments, and every world needs its admins. */
const struct gen_dept gen_depts[] = {
	{ "IT", "Chief Information Officer", "IT Manager", t_it, 10 },
	{ "Engineering", "VP of Engineering", "Engineering Manager", t_eng, 22 },
	{ "Sales", "VP of Sales", "Sales Manager", t_sales, 16 },
	{ "Finance", "Chief Financial Officer", "Finance Manager", t_fin, 7 },
	{ "Marketing", "VP of Marketing", "Marketing Manager", t_mkt, 8 },
	{ "Human Resources", "VP of People", "HR Manager", t_hr, 5 },
	{ "Operations", "Chief Operating Officer", "Operations Manager", t_ops, 9 },
	{ "Customer Support", "VP of Customer Success", "Support Manager", t_sup, 10 },
	{ "Legal", "General Counsel", "Legal Manager", t_legal, 3 },
	{ "Research", "Head of Research", "Research Manager", t_res, 6 },
	{ "Procurement", "Head of Procurement", "Procurement Manager", t_proc, 2 },
	{ "Facilities", "Head of Facilities", "Facilities Manager", t_fac, 2 },
};
const size_t gen_n_depts = W_ARRAY_LEN(gen_depts);

const struct gen_os gen_oses[] = {
	{ "windows", "Windows Server 2012 R2", 1, 2013 },
	{ "windows", "Windows Server 2016", 1, 2016 },
	{ "windows", "Windows Server 2019", 1, 2018 },
	{ "windows", "Windows Server 2022", 1, 2021 },
	{ "linux", "Ubuntu 20.04 LTS", 1, 2020 },
	{ "linux", "Ubuntu 22.04 LTS", 1, 2022 },
	{ "linux", "Red Hat Enterprise Linux 8", 1, 2019 },
	{ "windows", "Windows 7 SP1", 0, 2011 },
	{ "windows", "Windows 10 21H2", 0, 2021 },
	{ "windows", "Windows 10 22H2", 0, 2022 },
	{ "windows", "Windows 11 23H2", 0, 2023 },
};
const size_t gen_n_oses = W_ARRAY_LEN(gen_oses);

const struct gen_svcdef gen_svcdefs[] = {
	{ "dns", 53, "udp", "Microsoft DNS", "10.0", "none" },
	{ "kerberos", 88, "tcp", "Microsoft Kerberos KDC", "10.0", "kerberos" },
	{ "msrpc", 135, "tcp", "Microsoft RPC", "10.0", "ntlm" },
	{ "ldap", 389, "tcp", "Active Directory LDAP", "10.0", "kerberos" },
	{ "ldaps", 636, "tcp", "Active Directory LDAP", "10.0", "certificate" },
	{ "smb", 445, "tcp", "Microsoft SMB", "3.1.1", "ntlm" },
	{ "globalcatalog", 3268, "tcp", "Active Directory Global Catalog", "10.0", "kerberos" },
	{ "rdp", 3389, "tcp", "Microsoft Terminal Services", "10.0", "ntlm" },
	{ "winrm", 5985, "tcp", "Microsoft WinRM", "2.0", "kerberos" },
	{ "http", 80, "tcp", "Microsoft IIS", "10.0", "none" },
	{ "https", 443, "tcp", "Microsoft IIS", "10.0", "ntlm" },
	{ "nginx", 443, "tcp", "nginx", "1.18.0", "password" },
	{ "tomcat", 8080, "tcp", "Apache Tomcat", "9.0.31", "password" },
	{ "mssql", 1433, "tcp", "Microsoft SQL Server", "2016", "ntlm" },
	{ "postgresql", 5432, "tcp", "PostgreSQL", "12.4", "password" },
	{ "smtp", 25, "tcp", "Microsoft Exchange", "2016 CU19", "none" },
	{ "owa", 443, "tcp", "Microsoft Exchange OWA", "2016 CU19", "ntlm" },
	{ "certsrv", 443, "tcp", "Active Directory Certificate Services", "10.0", "ntlm" },
	{ "ssh", 22, "tcp", "OpenSSH", "8.2p1", "key" },
	{ "spooler", 135, "tcp", "Windows Print Spooler", "10.0", "ntlm" },
};
const size_t gen_n_svcdefs = W_ARRAY_LEN(gen_svcdefs);

int gen_svcdef_find(const char *name)
{
	size_t i;

	for (i = 0; i < gen_n_svcdefs; i++)
		if (strcmp(gen_svcdefs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Real, well-known flaws; what they grant is what an agent may assume on success. */
const struct gen_vulndef gen_vulndefs[] = {
	{ "V-MS17-010", "CVE-2017-0144", "SMBv1 remote code execution (EternalBlue)", "smb", 2016,
	  "system", 81, 600, 0 },
	{ "V-BLUEKEEP", "CVE-2019-0708", "RDP pre-authentication remote code execution", "rdp",
	  2013, "system", 98, 500, 0 },
	{ "V-ZEROLOGON", "CVE-2020-1472", "Netlogon privilege escalation (Zerologon)", "msrpc",
	  2019, "domain_admin", 100, 250, 1 },
	{ "V-PRINTNIGHTMARE", "CVE-2021-34527", "Print Spooler remote code execution", "spooler", 0,
	  "system", 88, 300, 0 },
	{ "V-PROXYLOGON", "CVE-2021-26855", "Exchange server-side request forgery (ProxyLogon)",
	  "owa", 0, "system", 91, 400, 0 },
	{ "V-LOG4SHELL", "CVE-2021-44228", "Log4j JNDI remote code execution", "tomcat", 0, "user",
	  100, 300, 0 },
	{ "V-ESC1", "", "Certificate template allows enrollee-supplied subject (ESC1)", "certsrv", 0,
	  "domain_admin", 90, 500, 0 },
	{ "V-MSSQL-WEAK-SA", "", "SQL Server sa login with a guessable password", "mssql", 0,
	  "system", 80, 250, 0 },
	{ "V-SMB-SIGNING", "", "SMB signing not required (NTLM relay)", "smb", 0, "credential", 59,
	  350, 0 },
	{ "V-TOMCAT-DEFAULT", "", "Tomcat manager with default credentials", "tomcat", 0, "user",
	  75, 250, 0 },
	{ "V-SSH-WEAK-KEY", "", "SSH accepts password logins for a shared account", "ssh", 0,
	  "user", 53, 200, 0 },
	{ "V-IIS-LISTING", "", "Directory listing exposes configuration files", "http", 0, "info",
	  53, 200, 0 },
};
const size_t gen_n_vulndefs = W_ARRAY_LEN(gen_vulndefs);

const char *const gen_svcacct_names[] = {
	"svc_sql", "svc_backup", "svc_web", "svc_sccm", "svc_exchange", "svc_monitor",
	"svc_scan", "svc_adsync", "svc_print", "svc_jenkins", "svc_veeam", "svc_sharepoint",
};
const size_t gen_n_svcacct_names = W_ARRAY_LEN(gen_svcacct_names);

const char *const gen_site_names[] = {
	"HQ", "Datacenter-East", "London", "Frankfurt", "Singapore", "Sao-Paulo", "Toronto",
	"Sydney",
};
const size_t gen_n_site_names = W_ARRAY_LEN(gen_site_names);

/* ---- vocabularies ------------------------------------------------------------------------- */

#define GEN_EDGE_NAME(n, s) #n,
const char *const gen_edge_names[E_COUNT] = { GEN_EDGE_TYPES(GEN_EDGE_NAME) };
#undef GEN_EDGE_NAME
#define GEN_EDGE_SEV(n, s) s,
const unsigned char gen_edge_sev[E_COUNT] = { GEN_EDGE_TYPES(GEN_EDGE_SEV) };
#undef GEN_EDGE_SEV
const char *const gen_sev_names[5] = { "info", "low", "medium", "high", "critical" };

int gen_edge_traversable(int type)
{
	return type != E_TrustedBy && type != E_CanReach;
}

const char *const gen_ptype_names[4] = { "user", "service_account", "computer", "group" };
const char *const gen_role_names[R_COUNT] = { "dc", "file", "web", "sql", "app", "ca", "mail",
	"jump", "workstation" };
const char *const gen_zone_names[Z_COUNT] = { "dmz", "server", "workstation", "management",
	"restricted" };
const char *const gen_exposure_names[4] = { "internet", "dmz", "internal", "isolated" };
const char *const gen_pwd_names[4] = { "strong", "weak", "reused", "in_description" };
const char *const gen_cred_names[6] = { "password", "ntlm_hash", "kerberos_tgs", "ssh_key",
	"gpp_password", "lsa_secret" };
const char *const gen_art_names[4] = { "file", "share", "script", "scheduled_task" };

#define GEN_WK_DEF(k, rid, name, scope, t0, root) { rid, name, scope, t0, root },
const struct gen_wkdef gen_wk[G_COUNT] = { GEN_WELLKNOWN(GEN_WK_DEF) };
#undef GEN_WK_DEF
