/*
 * gen/world.h: the published, read-only view of a built world, for every reader that is
 * not the builder: the trajectory sampler, the exports, agent sessions. A world is built
 * once (gen_world_build) and never changes afterwards; readers see its entities as const
 * arrays in document order, the vocabularies those entities are spelled in, the node
 * index space the edges use, and the formatters that spell derived strings (SID, DN,
 * UPN) exactly as the document does. The builder's own structures (arena, maps, scratch)
 * stay in gen/internal.h, private to src/gen.
 */
#ifndef WORLDS_GEN_WORLD_H
#define WORLDS_GEN_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "gen/gen.h"

/* ---- catalog (catalog.c) ---------------------------------------------------------------- */

extern const char *const gen_given_names[];
extern const size_t gen_n_given_names;
extern const char *const gen_surnames[];
extern const size_t gen_n_surnames;

struct gen_dept {
	const char *name;
	const char *head_title;
	const char *manager_title;
	const char *const *titles;   /* staff titles, NULL-terminated */
	unsigned weight;             /* share of the staff */
};
extern const struct gen_dept gen_depts[];
extern const size_t gen_n_depts;
/* Index of the IT department in gen_depts (admins come from it first). */
#define GEN_DEPT_IT 0

struct gen_os {
	const char *family;          /* windows|linux */
	const char *version;
	int server;
	int year;                    /* release year: older systems carry older flaws */
};
extern const struct gen_os gen_oses[];
extern const size_t gen_n_oses;

struct gen_svcdef {
	const char *name;
	int port;
	const char *proto;
	const char *product;
	const char *version;
	const char *auth;            /* kerberos|ntlm|password|key|certificate|none */
};
extern const struct gen_svcdef gen_svcdefs[];
extern const size_t gen_n_svcdefs;
int gen_svcdef_find(const char *name);

struct gen_vulndef {
	const char *id;
	const char *cve;
	const char *name;
	const char *service;         /* gen_svcdef name it lives in */
	int max_os_year;             /* affects hosts whose OS is this old or older; 0 = any */
	const char *grants;          /* system|user|credential|info|domain_admin */
	int cvss10;                  /* CVSS x 10 */
	unsigned permille;           /* chance on an eligible service */
	int dc_only;
};
extern const struct gen_vulndef gen_vulndefs[];
extern const size_t gen_n_vulndefs;

extern const char *const gen_svcacct_names[];
extern const size_t gen_n_svcacct_names;
extern const char *const gen_site_names[];
extern const size_t gen_n_site_names;

/* ---- vocabularies ----------------------------------------------------------------------- */

#define GEN_EDGE_TYPES(X)                                   \
	X(MemberOf, SEV_INFO)             X(AdminTo, SEV_HIGH) \
	X(HasSession, SEV_MEDIUM)         X(CanRDP, SEV_MEDIUM) \
	X(CanPSRemote, SEV_MEDIUM)        X(ExecuteDCOM, SEV_MEDIUM) \
	X(GenericAll, SEV_CRITICAL)       X(GenericWrite, SEV_HIGH) \
	X(WriteDacl, SEV_CRITICAL)        X(WriteOwner, SEV_CRITICAL) \
	X(Owns, SEV_HIGH)                 X(ForceChangePassword, SEV_HIGH) \
	X(AddMember, SEV_HIGH)            X(AllowedToDelegate, SEV_HIGH) \
	X(AllowedToAct, SEV_HIGH)         X(DCSync, SEV_CRITICAL) \
	X(ReadLAPSPassword, SEV_HIGH)     X(Contains, SEV_INFO) \
	X(GpLink, SEV_LOW)                X(TrustedBy, SEV_LOW) \
	X(HasCredential, SEV_HIGH)        X(CanReach, SEV_INFO)

enum gen_sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
#define GEN_EDGE_ENUM(n, s) E_##n,
enum gen_edge_type { GEN_EDGE_TYPES(GEN_EDGE_ENUM) E_COUNT };
#undef GEN_EDGE_ENUM
extern const char *const gen_edge_names[E_COUNT];
extern const char *const gen_sev_names[5];
extern const unsigned char gen_edge_sev[E_COUNT];
/* Edge types an attacker can walk along (not Contains of a subnet, TrustedBy, CanReach). */
int gen_edge_traversable(int type);

enum gen_ptype { PT_USER, PT_SVC, PT_COMPUTER, PT_GROUP };
extern const char *const gen_ptype_names[4];
enum gen_role { R_DC, R_FILE, R_WEB, R_SQL, R_APP, R_CA, R_MAIL, R_JUMP, R_WS, R_COUNT };
extern const char *const gen_role_names[R_COUNT];
enum gen_zone { Z_DMZ, Z_SERVER, Z_WS, Z_MGMT, Z_RESTRICTED, Z_COUNT };
extern const char *const gen_zone_names[Z_COUNT];
enum gen_exposure { X_INTERNET, X_DMZ, X_INTERNAL, X_ISOLATED };
extern const char *const gen_exposure_names[4];
enum gen_pwd { PW_STRONG, PW_WEAK, PW_REUSED, PW_IN_DESCRIPTION };
extern const char *const gen_pwd_names[4];
enum gen_credkind { CK_PASSWORD, CK_NTLM, CK_TGS, CK_SSH, CK_GPP, CK_LSA };
extern const char *const gen_cred_names[6];
enum gen_artkind { AK_FILE, AK_SHARE, AK_SCRIPT, AK_TASK };
extern const char *const gen_art_names[4];

/* Well-known groups of a domain, with their RIDs (0 = a custom group, RID from the counter). */
#define GEN_WELLKNOWN(X)                                                          \
	X(DA, 512, "Domain Admins", "global", 1, 0)                                  \
	X(DU, 513, "Domain Users", "global", 0, 0)                                   \
	X(DG, 514, "Domain Guests", "global", 0, 0)                                  \
	X(DCOMP, 515, "Domain Computers", "global", 0, 0)                            \
	X(DCS, 516, "Domain Controllers", "global", 1, 0)                            \
	X(SA, 518, "Schema Admins", "universal", 1, 1)                               \
	X(EA, 519, "Enterprise Admins", "universal", 1, 1)                           \
	X(GPCO, 520, "Group Policy Creator Owners", "global", 0, 0)                  \
	X(ADMINS, 544, "Administrators", "builtin_local", 1, 0)                      \
	X(ACCOPS, 548, "Account Operators", "builtin_local", 1, 0)                   \
	X(SRVOPS, 549, "Server Operators", "builtin_local", 1, 0)                    \
	X(BKOPS, 551, "Backup Operators", "builtin_local", 1, 0)                     \
	X(RDU, 555, "Remote Desktop Users", "builtin_local", 0, 0)                   \
	X(RMU, 580, "Remote Management Users", "builtin_local", 0, 0)                \
	X(HELPDESK, 0, "IT Helpdesk", "global", 0, 0)                                \
	X(WSADM, 0, "Workstation Admins", "global", 0, 0)                            \
	X(SRVADM, 0, "Server Admins", "global", 0, 0)                                \
	X(SQLADM, 0, "SQL Admins", "global", 0, 0)                                   \
	X(LAPS, 0, "LAPS Readers", "global", 0, 0)                                   \
	X(VPN, 0, "VPN Users", "global", 0, 0)
/* X(key, rid, name, scope, tier0, forest root only) */
#define GEN_WK_ENUM(k, rid, name, scope, t0, root) G_##k,
enum gen_wk { GEN_WELLKNOWN(GEN_WK_ENUM) G_COUNT };
#undef GEN_WK_ENUM
struct gen_wkdef {
	int rid;
	const char *name;
	const char *scope;
	int tier0;
	int root_only;
};
extern const struct gen_wkdef gen_wk[G_COUNT];

/* Well-known OUs of a domain (department OUs follow them). */
enum gen_ouk { O_USERS, O_BUILTIN, O_DCS, O_TIER0, O_TIER1, O_TIER2, O_DEPTS, O_SERVERS, O_WORKSTATIONS, O_SVC,
	O_GROUPS, O_DISABLED, O_COUNT };

/* ---- the entities ------------------------------------------------------------------------ */

struct gen_trust {
	int from, to;               /* domain indices: `from` trusts `to` */
	const char *type;           /* parent_child|forest|external */
	const char *direction;      /* bidirectional|outbound|inbound */
	int transitive;
	int sid_filtering;
};

struct gen_domain {
	char id[8];
	const char *fqdn;
	const char *netbios;
	const char *sid;            /* S-1-5-21-a-b-c */
	const char *dn;             /* DC=corp,DC=local */
	const char *flevel;
	int parent;                 /* domain index or -1 */
	int forest_root;            /* domain index */
	uint32_t next_rid;
	int32_t wk[G_COUNT];        /* principal index of each well-known group, -1 if absent */
	int32_t administrator, guest, krbtgt;
	int32_t ou[O_COUNT];        /* OU index */
	int32_t dept_ou0;           /* OU index of the first department OU */
	int32_t dept_grp0;          /* principal index of the first department group */
	int32_t gpo0, ngpo;
	uint32_t people0, npeople;  /* people of the domain: principals [people0, people0+npeople) */
	uint32_t hosts0, nhosts;    /* hosts of the domain */
	int plan[R_COUNT];          /* hosts per role */
	int32_t starter;            /* the enabled unprivileged person the planted chain starts from */
	int32_t svc0, nsvc;         /* service accounts */
};

struct gen_ou {
	char id[16];
	int domain;
	int parent;                 /* OU index or -1 (the domain) */
	const char *name;
	const char *dn;
	int tier;                   /* 0..2, or -1 */
};

struct gen_gpo {
	char id[16];
	int domain;
	const char *name;
	const char *guid;
	int32_t link_ou;            /* OU index, or -1: linked to the domain */
};

struct gen_site {
	char id[16];
	const char *name;
};

struct gen_subnet {
	char id[16];
	char cidr[20];
	uint32_t base;              /* network address, host order */
	int zone;
	int site;
	uint32_t used;              /* addresses handed out */
};

#define PF_DONT_REQ_PREAUTH 0x01
#define PF_PWD_NEVER_EXPIRES 0x02
#define PF_PWD_NOT_REQUIRED 0x04
#define PF_ADMIN_COUNT 0x08
#define PF_UNCONSTRAINED 0x10

struct gen_principal {
	char id[16];
	uint8_t type;               /* enum gen_ptype */
	uint8_t builtin;
	uint8_t enabled;
	int8_t admin_tier;          /* 0..2, -1 = none */
	uint8_t pwd;                /* enum gen_pwd */
	uint8_t flags;              /* PF_* */
	uint8_t domain;
	int8_t dept;                /* gen_depts index, -1 none */
	int8_t wk;                  /* enum gen_wk for well-known groups, -1 otherwise */
	uint32_t rid;
	int32_t manager;            /* principal index or -1 */
	int32_t ou;
	int32_t host;               /* computers: host index; others -1 */
	int16_t given, surname;     /* catalog indices, -1 none */
	const char *sam;
	const char *cn;             /* the RDN value */
	const char *email_local;    /* NULL: no mailbox */
	const char *title;
	const char *description;
	const char *name;           /* groups, service accounts, builtins: display name */
	const char **spns;
	uint32_t nspns;
	uint32_t members0, nmembers; /* groups: into world.members */
	int32_t pwd_last_set;       /* seconds before reference_time */
	int32_t last_logon;         /* seconds before reference_time, -1: never */
};

struct gen_vuln_inst {
	uint16_t def;
};

struct gen_service {
	uint16_t def;               /* gen_svcdefs index */
	int32_t run_as;             /* principal index or -1 (LocalSystem) */
	uint32_t vuln0, nvulns;     /* into world.vulns */
};

struct gen_host {
	char id[16];
	const char *hostname;       /* upper case NetBIOS-style */
	uint8_t role, zone, exposure, os, domain, laps;
	int32_t subnet;
	uint32_t ip;
	int32_t computer;           /* principal index */
	int32_t primary_user;       /* principal index or -1 */
	uint32_t admins0, nadmins;  /* local admins: into world.hadmins */
	uint32_t svc0, nsvc;        /* into world.services */
};

struct gen_cred {
	char id[16];
	uint8_t kind;
	uint8_t cracks;
	int32_t principal;
	int32_t host;               /* where found, -1: in the directory */
	int32_t artifact;           /* -1 none */
	const char *location;
};

struct gen_artifact {
	char id[16];
	uint8_t kind;
	int32_t host;
	const char *path;
	const char *description;
	uint32_t cred0, ncreds;     /* into world.artcreds */
};

struct gen_edge {
	uint32_t src, dst;          /* node indices */
	uint8_t type;
	uint8_t sev;
};

struct gen_path {
	int domain;
	uint32_t edge0, nedges;     /* into world.pathedges (edge indices) */
};

/* ---- the view ------------------------------------------------------------------------------ */

/*
 * Everything a world holds, as const arrays in document order. Indices inside entities
 * (a principal's domain, a host's computer, an edge's ends) index these arrays or the
 * node space below; services, vulnerabilities, local admins, members and artifact
 * credentials are slices (first, count) of their flat arrays.
 */
struct gen_view {
	const struct gen_params *params;          /* resolved */
	int ndomains;
	const struct gen_domain *domains;
	int ntrusts;
	const struct gen_trust *trusts;
	size_t nous;
	const struct gen_ou *ous;
	size_t ngpos;
	const struct gen_gpo *gpos;
	int nsites;
	const struct gen_site *sites;
	size_t nsubnets;
	const struct gen_subnet *subnets;
	size_t nprincipals;
	const struct gen_principal *principals;
	uint32_t npeople;                         /* principals [0, npeople) are the people */
	uint32_t nservice_accounts, ncomputers, ngroups;
	size_t nhosts;
	const struct gen_host *hosts;
	size_t nservices;
	const struct gen_service *services;
	const uint16_t *vulns;                    /* gen_vulndefs indices */
	const int32_t *host_admins;               /* principal indices */
	const int32_t *members;                   /* principal indices */
	size_t ncreds;
	const struct gen_cred *creds;
	size_t nartifacts;
	const struct gen_artifact *artifacts;
	const int32_t *artifact_creds;            /* credential indices */
	size_t nedges;
	const struct gen_edge *edges;
	size_t npaths;
	const struct gen_path *paths;
	const uint32_t *path_edges;               /* edge indices */
	/* The node index space edges use: domains [0, ndomains), then OUs, GPOs, subnets,
	 * principals and hosts, each from its first node below, nnodes in all. */
	uint32_t node_ou0, node_gpo0, node_subnet0, node_prin0, node_host0, nnodes;
};

/* The view of a built world (valid until gen_world_free). */
const struct gen_view *gen_world_view(const struct gen_world *w);

/* Node index space: domains, OUs, GPOs, subnets, principals, hosts. */
uint32_t gen_node_domain(const struct gen_world *w, int d);
uint32_t gen_node_ou(const struct gen_world *w, int o);
uint32_t gen_node_gpo(const struct gen_world *w, int g);
uint32_t gen_node_subnet(const struct gen_world *w, int s);
uint32_t gen_node_prin(const struct gen_world *w, int32_t p);
uint32_t gen_node_host(const struct gen_world *w, int32_t h);
size_t gen_node_total(const struct gen_world *w);
/* The id of a node (points into the world). */
const char *gen_node_id(const struct gen_world *w, uint32_t node);

/*
 * Lookups by id: an index over every node's id (domains, OUs, GPOs, subnets, principals,
 * hosts), built by a reader that needs it (a few milliseconds for the largest world) and
 * freed with gen_index_free. gen_index_find: WS_OK with *node set, or WS_ENOTFOUND.
 */
struct gen_index;
int gen_index_build(const struct gen_world *w, struct gen_index **out);
int gen_index_find(const struct gen_index *x, const char *id, uint32_t *node);
void gen_index_free(struct gen_index *x);

/* Formatting helpers shared by the writer and the rows. */
void gen_fmt_time(char out[24], int32_t secs_before_ref);
void gen_fmt_ip(char out[16], uint32_t ip);
void gen_fmt_sid(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n);
void gen_fmt_dn(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n);
/* Formatters write without bounds checks: out must hold 1024 bytes (DN, UPN, e-mail).
 * UPN / e-mail into out; 0 when the principal has none. */
int gen_fmt_upn(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n);
int gen_fmt_email(const struct gen_world *w, const struct gen_principal *pr, char *out, size_t n);
void gen_fmt_display(const struct gen_principal *pr, char *out, size_t n);
const char *gen_node_type(const struct gen_world *w, uint32_t node);
/* The domain's reference time as text (fixed for the generator version). */
#define GEN_REFERENCE_TIME "2026-01-01T00:00:00Z"
#define GEN_REFERENCE_EPOCH 1767225600LL

#endif
