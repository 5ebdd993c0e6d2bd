"""Per-dataset metrics plus sample-weighted combined figures over several test sets."""
import warnings
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

from mmengine.dist import broadcast_object_list, collect_results, is_main_process
from mmengine.evaluator.metric import _to_cpu
from mmocr.evaluation import MultiDatasetsEvaluator
from mmocr.registry import EVALUATOR


@EVALUATOR.register_module()
class CombinedMultiDatasetsEvaluator(MultiDatasetsEvaluator):
    """MMOCR's ``MultiDatasetsEvaluator`` (keys ``<dataset>/<metric prefix>/<name>``) that also
    reports combined figures over groups of datasets, keys ``<group>/<metric prefix>/<name>``.

    A combined figure is the metric computed on the pooled samples of the group's datasets, which
    for accuracy and mean NED is exactly the average of the per-dataset figures weighted by their
    sample counts (PARSeq's "Combined" row).

    Args:
        metrics: metric configs, as for MMEngine's ``Evaluator``.
        dataset_prefixes: one name per dataset of the ``ConcatDataset``, in order.
        combined: ``{group name: [dataset prefixes]}``. Default: one group ``'Combined'`` over
            all datasets when there are two or more. ``{}`` turns combined figures off. Keep
            overlapping test sets (IC13 857 and 1015) in different groups.
    """

    def __init__(self, metrics, dataset_prefixes: Sequence[str],
                 combined: Optional[Dict[str, List[str]]] = None) -> None:
        if not dataset_prefixes:
            raise ValueError('dataset_prefixes must name each dataset of the test '
                             'ConcatDataset, in order (e.g. ["IIIT5K", "SVT"])')
        super().__init__(metrics, dataset_prefixes)
        if combined is None:
            combined = {'Combined': list(dataset_prefixes)} if len(dataset_prefixes) > 1 else {}
        for group, members in combined.items():
            unknown = [m for m in members if m not in dataset_prefixes]
            if unknown or not members:
                raise ValueError(f'combined group {group!r} names unknown datasets {unknown}; '
                                 f'dataset_prefixes are {list(dataset_prefixes)}')
            if group in dataset_prefixes:
                raise ValueError(f'combined group name {group!r} clashes with a dataset prefix')
        self.combined = dict(combined)

    def evaluate(self, size: int) -> dict:
        metrics_results = OrderedDict()
        ends = list(self.dataset_meta.get('cumulative_sizes', [size]))
        if len(ends) != len(self.dataset_prefixes):
            raise ValueError(f'{len(ends)} datasets but {len(self.dataset_prefixes)} '
                             f'dataset_prefixes {list(self.dataset_prefixes)}')
        bounds = dict(zip(self.dataset_prefixes, zip([0] + ends[:-1], ends)))
        for metric in self.metrics:
            if len(metric.results) == 0:
                warnings.warn(f'{metric.__class__.__name__} got empty `self.results`.')
            results = collect_results(metric.results, size, metric.collect_device)
            if is_main_process():
                results = _to_cpu(results)
                slices = {name: results[start:end] for name, (start, end) in bounds.items()}
                for group, members in self.combined.items():
                    slices[group] = [r for m in members for r in slices[m]]
                for name, part in slices.items():
                    prefix = '/'.join((name, metric.prefix)) if metric.prefix else name
                    for key, value in metric.compute_metrics(part).items():
                        full_key = f'{prefix}/{key}'
                        if full_key in metrics_results:
                            raise ValueError(f'duplicate metric name {full_key}: give the '
                                             'metrics different prefixes')
                        metrics_results[full_key] = value
            metric.results.clear()
        out = [metrics_results if is_main_process() else None]
        broadcast_object_list(out)
        return out[0]
