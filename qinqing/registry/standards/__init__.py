"""Pure implementations of the national standards the registry relies on (no ORM).

- ``uscc``: 统一社会信用代码 (GB 32100-2015)
- ``idcard``: 公民身份号码 (GB 11643-1999)
- ``mobile``: mainland mobile numbers (11 digits, 1[3-9]…)
- ``sizeclass``: 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号)
- ``industry``: 国民经济行业分类 (GB/T 4754-2017)

See docs/standards.md for sources and limitations.
"""
