/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The work budget of one evaluation (doc/limits.md, "Evaluating a spec"):
 * one counter that expressions, regular expressions, templates and merging
 * vars all draw from, so that no spec and no features make an evaluation run
 * for long, whatever the per-call limits allow.
 */
#include <inttypes.h>

#include "libnfd/engine/engine.h"

void nfd__eval_budget_init(struct nfd_eval *ev)
{
	ev->budget_total = nfd_ctx_get_work_budget(ev->ctx);
	ev->budget = ev->budget_total;
}

int nfd__eval_budget_error(struct nfd_eval *ev)
{
	return nfd__error(ev->ctx, ETIME,
			  "%s: evaluation stopped: it used up its work budget of %" PRIu64
			  " units; raise it with --work-budget or nfd_ctx_set_work_budget() "
			  "(doc/limits.md)",
			  ev->spec ? ev->spec->name : "spec", ev->budget_total);
}

int nfd__eval_charge_slow(struct nfd_eval *ev, uint64_t n)
{
	if (ev->budget_total == NFD_WORK_BUDGET_UNLIMITED) {
		ev->budget = UINT64_MAX;
		return 0;
	}
	if (ev->budget < n || ev->budget == 0) {
		ev->budget = 0;
		return nfd__eval_budget_error(ev);
	}
	ev->budget -= n;
	return 0;
}
