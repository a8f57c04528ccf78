/*
 * attack: the command vocabulary an operator (or a trajectory sampler) uses against a world.
 * One table of commands for each mode (`kali`: an attacker's Linux box with the usual
 * open tools; `c2`: an implant's console on a compromised Windows host), each command
 * naming the edge types of world-model.md it walks, so a sampler standing on an edge can
 * pick a command that fits it, and the inspection route `GET …/commands` can print it.
 */
#ifndef WORLDS_ATTACK_H
#define WORLDS_ATTACK_H

#include <stddef.h>
#include <stdint.h>

/*
 * The edge types of world-model.md, in its order: name, and whether walking the edge gives
 * the attacker something (access, control, a credential). Contains, TrustedBy and CanReach
 * describe the world's shape; MemberOf is inherited rather than exploited. Every granting
 * type has at least one command in each mode (the unit test holds this).
 */
#define ATTACK_EDGE_TYPES(X)                 \
	X(MemberOf, 0)                       \
	X(AdminTo, 1)                        \
	X(HasSession, 1)                     \
	X(CanRDP, 1)                         \
	X(CanPSRemote, 1)                    \
	X(ExecuteDCOM, 1)                    \
	X(GenericAll, 1)                     \
	X(GenericWrite, 1)                   \
	X(WriteDacl, 1)                      \
	X(WriteOwner, 1)                     \
	X(Owns, 1)                           \
	X(ForceChangePassword, 1)            \
	X(AddMember, 1)                      \
	X(AllowedToDelegate, 1)              \
	X(AllowedToAct, 1)                   \
	X(DCSync, 1)                         \
	X(ReadLAPSPassword, 1)               \
	X(Contains, 0)                       \
	X(GpLink, 1)                         \
	X(TrustedBy, 0)                      \
	X(HasCredential, 1)                  \
	X(CanReach, 0)

#define ATTACK_EDGE_ENUM(name, grants) ATTACK_E_##name,
enum attack_edge { ATTACK_EDGE_TYPES(ATTACK_EDGE_ENUM) ATTACK_E_COUNT };
#undef ATTACK_EDGE_ENUM

/* A set of edge types, one bit per enum attack_edge. */
typedef uint32_t attack_edges;
#define ATTACK_BIT(name) ((attack_edges)1 << ATTACK_E_##name)
/* Commands that walk no edge: enumeration, roasting by a flag, offline cracking. */
#define ATTACK_NO_EDGE ((attack_edges)0)

enum attack_mode { ATTACK_KALI, ATTACK_C2, ATTACK_MODE_COUNT };

/* What a command does to the attacker's position (for the sampler's state updates). */
enum attack_effect {
	ATTACK_FX_DISCOVER,   /* learns nodes and edges */
	ATTACK_FX_CREDENTIAL, /* obtains a secret (hash, ticket, password) of the target */
	ATTACK_FX_EXECUTE,    /* runs code on the target host */
	ATTACK_FX_CONTROL,    /* gains control of the target object (rights, membership) */
	ATTACK_FX_IMPERSONATE /* acts as the target principal (tickets, delegation) */
};

/*
 * One command. pattern is a POSIX extended regular expression matching the command lines
 * of this command (anchored), usage the template with {placeholders}, examples concrete
 * lines that the pattern matches, events what defenders see (Windows event ids and
 * telemetry). Arrays are NULL-terminated.
 */
struct attack_cmd {
	const char *name;
	enum attack_mode mode;
	const char *technique;            /* MITRE ATT&CK id */
	attack_edges edges;               /* edge types it walks, or ATTACK_NO_EDGE */
	/* The flag of the target principal the command needs, named as in the document
	 * ("spns", "dont_req_preauth", "unconstrained_delegation"), or NULL. */
	const char *precondition;
	enum attack_effect effect;
	const char *pattern;
	const char *description;
	const char *usage;
	const char *const *examples;
	const char *const *events;
};

/* The whole vocabulary (both modes, kali first), and its length. */
extern const struct attack_cmd attack_cmds[];
extern const size_t attack_ncmds;

/* The edge type's name ("AdminTo"), or NULL past the end. */
const char *attack_edge_name(enum attack_edge e);
/* 1 when walking edges of this type gives the attacker something (see above). */
int attack_edge_grants(enum attack_edge e);
/* The edge type named s, or -1. */
int attack_edge_find(const char *s);
/* "kali" / "c2" */
const char *attack_mode_name(enum attack_mode m);
/* The mode named s, or -1. */
int attack_mode_find(const char *s);
/* The command of that mode and name, or NULL. */
const struct attack_cmd *attack_cmd_find(enum attack_mode m, const char *name);
/*
 * The commands of mode m that walk edge type e, in table order: fills out[0..max) and
 * returns how many there are in all (which may be more than max).
 */
size_t attack_cmds_for_edge(enum attack_mode m, enum attack_edge e,
    const struct attack_cmd **out, size_t max);

#endif
