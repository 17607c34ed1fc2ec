"""The demo company's people: staff with their chat handles and roles, and its customers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from connectors.demo.places import AREAS


@dataclass(frozen=True)
class DemoStaff:
    """One row of staff.csv."""

    staff_id: str
    name: str
    role: str
    handles: str
    region: str


@dataclass(frozen=True)
class DemoCustomer:
    """One row of customers.csv."""

    customer_id: str
    name: str
    area: str
    tier: str
    salesperson: str


def _handles(slack: str, telegram: int, whatsapp: int) -> str:
    return f"slack:{slack};telegram:{telegram};whatsapp:{whatsapp}"


STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("S001", "Ada Chan", "sales", _handles("U0SALES01", 100000001, 85291234567), "KLN"),
    DemoStaff("S002", "Kelvin Wong", "sales", _handles("U0SALES02", 100000002, 85291234568), "HKI"),
    DemoStaff("S003", "Mandy Lee", "sales", _handles("U0SALES03", 100000003, 85291234569), "NT"),
    DemoStaff("S004", "Jacky Tsang", "sales", _handles("U0SALES04", 100000004, 85291234570), ""),
    DemoStaff("L001", "Cheung Wai Keung", "logistics", _handles("U0LOGI01", 100000011, 85292345601), ""),
    DemoStaff("L002", "Fiona Yip", "logistics", _handles("U0LOGI02", 100000012, 85292345602), "NT"),
    DemoStaff("M001", "Peter Lau", "manager", _handles("U0MNGR01", 100000021, 85293456701), ""),
    DemoStaff("F001", "Winnie Ho", "finance", _handles("U0FIN001", 100000031, 85294567801), ""),
    DemoStaff("A001", "Jason Ng", "admin", _handles("U0ADMN01", 100000041, 85295678901), ""),
)

# Customers planted for the documented situations (see docs/demo-company.md).
PLANTED_CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer("C0001", "Kwun Tong Office Supplies Ltd", "KT", "A", "S001"),
    DemoCustomer("C0002", "Bay Point Trading Co.", "KB", "A", "S001"),
    DemoCustomer("C0003", "Lantau Gifts & Travel", "TC", "B", "S003"),
    DemoCustomer("C0004", "Causeway Digital Mart", "CWB", "A", "S002"),
    DemoCustomer("C0005", "Sha Tin Phone Centre", "ST", "B", "S003"),
    DemoCustomer("C0006", "Island Breeze Café", "CC", "C", "S004"),
    DemoCustomer("C0007", "Sham Shui Po Stationery House", "SSP", "B", "S001"),
    DemoCustomer("C0008", "Tuen Mun Mobile Shop", "TM", "C", "S003"),
)

_NAME_HEADS = (
    "Wing On", "Kam Fung", "Tai Hing", "Golden Harbour", "Sun Kee", "Fook Lam", "Hop Shing", "Man Kee",
    "Victoria", "Lucky Star", "Pearl River", "Kowloon Star", "New Era", "Evergreen", "Silver Bay", "Hang Fat",
    "Wah Lee", "Ocean Park", "Jade Garden", "Bright Future", "Lion Rock", "Peak View", "Sunrise", "Fortune",
)
_NAME_TAILS = (
    "Trading Co.", "Stationery", "Pharmacy", "Café", "Gift Shop", "Office Supplies", "Mini Mart",
    "Tutoring Centre", "Design Ltd", "Mobile Shop", "Homeware", "Dental Clinic", "Property Management",
    "Logistics Ltd", "Secondary School", "Fitness Studio",
)
_SALES_BY_REGION = {"KLN": "S001", "HKI": "S002", "NT": "S003", "ISL": "S004"}


def generate_customers(rng: np.random.Generator, count: int = 80) -> list[DemoCustomer]:
    """About `count` customers: the planted ones, then names drawn from common HK business names.

    Areas follow each area's business weight; the salesperson covers the customer's region.
    """
    customers = list(PLANTED_CUSTOMERS)
    used_names = {customer.name for customer in customers}
    weights = np.array([area.weight for area in AREAS])
    weights /= weights.sum()
    while len(customers) < count:
        name = f"{_NAME_HEADS[rng.integers(len(_NAME_HEADS))]} {_NAME_TAILS[rng.integers(len(_NAME_TAILS))]}"
        if name in used_names:
            continue
        used_names.add(name)
        area = AREAS[int(rng.choice(len(AREAS), p=weights))]
        tier = ("A", "B", "C")[int(rng.choice(3, p=[0.15, 0.35, 0.5]))]
        salesperson = _SALES_BY_REGION[area.region] if rng.random() < 0.85 else "S004"
        customers.append(DemoCustomer(f"C{len(customers) + 1:04d}", name, area.code, tier, salesperson))
    return customers
