"""Many documents: `govreport parse` in-process (inprocess) and `govreport batch` in workers with
chunks and resume (runner, plan, engines, workers, job, resume, finish), one input expander (inputs)."""
