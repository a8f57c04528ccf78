/*
 * traj internals, shared by src/traj only. The sampler reads the world through its
 * published view (gen/world.h): the node index space, the edge array, the principals'
 * flags and the recorded attack paths, as arrays (going through the JSON rows for a
 * 60k-principal world would cost more than the whole batch's sampling).
 */
#ifndef WORLDS_TRAJ_INTERNAL_H
#define WORLDS_TRAJ_INTERNAL_H

#include "attack/attack.h"
#include "gen/world.h"
#include "traj/traj.h"

/* How an edge type is used: not at all, inherited for free, or walked by a command. */
enum { TK_NONE, TK_INHERIT, TK_WALK };
#define TRAJ_UNREACHABLE UINT32_MAX
#define TRAJ_MAX_PLAIN 16
#define TRAJ_MAX_CMDS_PER_EDGE 8

/* What a node is, for the commands that act on some kinds of object only. */
enum { TN_DOMAIN, TN_OU, TN_GPO, TN_SUBNET, TN_USER, TN_SVC, TN_COMPUTER, TN_GROUP, TN_HOST };
#define TN_BIT(k) (1u << TN_##k)
#define TN_ANY 0x1ffu

struct traj_graph {
	const struct gen_world *w;
	const struct gen_view *v;               /* w's view */
	struct traj_params p;
	size_t nn;
	uint32_t p0, nprin, h0;
	uint32_t gpo0, sub0;                    /* first GPO node, first subnet node */
	uint8_t kind[E_COUNT];                  /* per gen edge type: TK_* */
	int amap[E_COUNT];                      /* gen edge type -> enum attack_edge */
	const struct attack_cmd *cmds[E_COUNT][TRAJ_MAX_CMDS_PER_EDGE];
	size_t ncmds[E_COUNT];
	unsigned tkinds[E_COUNT][TRAJ_MAX_CMDS_PER_EDGE]; /* traj_cmd_targets of each */
	const struct attack_cmd *plain[TRAJ_MAX_PLAIN]; /* commands of the mode that walk no edge */
	size_t nplain;
	uint32_t *out_off, *out_e;              /* CSR over used edges, by source node */
	uint32_t *dist;                         /* command steps to a goal node */
	uint8_t *goal;                          /* per node: 1 = a goal */
	size_t ngoal;                           /* goal nodes: 0 for a goal naming nothing */
	uint32_t *flagged;                      /* principals with spns or dont_req_preauth */
	size_t nflagged;
	uint32_t foothold;
	size_t pathlen;
	int32_t dc_host[GEN_MAX_DOMAINS];       /* host index of each domain's first DC, or -1 */
};

/* Node helpers: the principal (or NULL) behind a node, and the domain a node is in. */
const struct gen_principal *traj_prin(const struct traj_graph *g, uint32_t node);
int traj_node_domain(const struct traj_graph *g, uint32_t node);
/* 1 when the principal behind node has the document flag named flag ("spns", ...). */
int traj_has_flag(const struct traj_graph *g, uint32_t node, const char *flag);
/* TN_* of a node. */
int traj_node_kind(const struct traj_graph *g, uint32_t node);
/* The kinds of object a command acts on (TN_BIT mask): add-member a group, rbcd-write a computer... */
unsigned traj_cmd_targets(const struct attack_cmd *c);
/* 1 when c acts on target's kind and needs no flag of the target, or target has it. */
int traj_cmd_fits(const struct traj_graph *g, const struct attack_cmd *c, uint32_t target);
/* The same for command k of edge type type (the sampler's hot path). */
int traj_edge_cmd_fits(const struct traj_graph *g, int type, size_t k, uint32_t target);
/* 1 when edge e is inherited, or walked by at least one command that fits its target. */
int traj_edge_usable(const struct traj_graph *g, uint32_t e);

/* The attacker's state. */
#define TS_CTL 1
#define TS_HASH 2
#define TS_CRACKFAIL 4

struct traj_state {
	uint8_t *f;              /* per node: TS_* */
	uint32_t *queue;         /* closure scratch, nn entries */
	uint32_t *front;         /* used out-edges of controlled nodes, in the order gained */
	size_t nfront, capfront;
	uint32_t *hashes;        /* principal nodes whose hash is held, in the order obtained */
	size_t nhashes, caphashes;
	uint32_t done;           /* plain commands already run (bit i = g->plain[i]) */
	uint32_t nprin, nhosts, ncreds, nrecon;
	uint32_t best;           /* least dist over controlled nodes */
	uint32_t op;             /* the account the operator types on command lines */
	int goal;                /* a goal node is controlled */
};

int traj_state_init(struct traj_state *s, const struct traj_graph *g);
void traj_state_free(struct traj_state *s);
/* Controls node and everything it inherits (MemberOf, Contains). */
int traj_state_gain(struct traj_state *s, const struct traj_graph *g, uint32_t node);
int traj_state_add_hash(struct traj_state *s, uint32_t node);
void traj_state_summary(const struct traj_state *s, struct jw *out);

/* What a plain command is, by its place in the vocabulary. */
enum { TP_DISCOVER, TP_ROAST, TP_CRACK, TP_SPRAY, TP_UNSUPPORTED };
int traj_plain_kind(const struct attack_cmd *c);

/* Text of a step (text.c): the command line and what the tool printed, s the state before it. */
void traj_text_command(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t actor, uint32_t target, struct wbuf *out);
void traj_text_output(const struct traj_graph *g, const struct traj_state *s,
    const struct attack_cmd *c, uint32_t actor, uint32_t target, int ok, const char *reason,
    struct wbuf *out);

#endif
