//! `cidrsubnet`, `cidrsubnets`, `cidrhost` and `cidrnetmask`, for IPv4 and IPv6.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A parsed prefix: address (as a 128-bit number), prefix length, address width in bits.
struct Prefix {
    addr: u128,
    len: u32,
    bits: u32,
}

fn parse(prefix: &str) -> Option<Prefix> {
    let (ip, len) = prefix.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    let (addr, bits) = match ip.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => (u32::from(a) as u128, 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    };
    if len > bits {
        return None;
    }
    Some(Prefix {
        addr: addr & mask(len, bits),
        len,
        bits,
    })
}

fn mask(len: u32, bits: u32) -> u128 {
    let all = if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    if len == 0 {
        0
    } else {
        all & !((1u128 << (bits - len)) - 1).min(all)
    }
}

fn format_addr(addr: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(addr as u32).to_string()
    } else {
        Ipv6Addr::from(addr).to_string()
    }
}

/// `cidrsubnet(prefix, newbits, netnum)`.
pub fn subnet(prefix: &str, newbits: i64, netnum: i64) -> Option<String> {
    let p = parse(prefix)?;
    if newbits < 0 || netnum < 0 {
        return None;
    }
    let newlen = p.len.checked_add(u32::try_from(newbits).ok()?)?;
    if newlen > p.bits {
        return None;
    }
    let netnum = netnum as u128;
    if newbits < 128 && netnum >= (1u128 << newbits) {
        return None;
    }
    let shifted = if p.bits - newlen >= 128 {
        0
    } else {
        netnum << (p.bits - newlen)
    };
    Some(format!(
        "{}/{newlen}",
        format_addr(p.addr | shifted, p.bits)
    ))
}

/// `cidrhost(prefix, hostnum)`; a negative number counts from the end of the range.
pub fn host(prefix: &str, hostnum: i64) -> Option<String> {
    let p = parse(prefix)?;
    let hostbits = p.bits - p.len;
    let size: u128 = if hostbits >= 128 {
        u128::MAX
    } else {
        1u128 << hostbits
    };
    let n = if hostnum >= 0 {
        hostnum as u128
    } else {
        size.checked_sub(hostnum.unsigned_abs() as u128)?
    };
    if n >= size {
        return None;
    }
    Some(format_addr(p.addr | n, p.bits))
}

/// `cidrnetmask(prefix)`: IPv4 only.
pub fn netmask(prefix: &str) -> Option<String> {
    let p = parse(prefix)?;
    if p.bits != 32 {
        return None;
    }
    Some(format_addr(mask(p.len, 32), 32))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets, each aligned to its size.
pub fn subnets(prefix: &str, newbits: &[i64]) -> Option<Vec<String>> {
    let p = parse(prefix)?;
    let mut out = Vec::new();
    let mut next: u128 = p.addr;
    let end: u128 = p.addr
        | !mask(p.len, p.bits)
            & (if p.bits == 128 {
                u128::MAX
            } else {
                (1u128 << p.bits) - 1
            });
    for &nb in newbits {
        if nb < 0 {
            return None;
        }
        let newlen = p.len.checked_add(u32::try_from(nb).ok()?)?;
        if newlen > p.bits {
            return None;
        }
        let size: u128 = if p.bits - newlen >= 128 {
            u128::MAX
        } else {
            1u128 << (p.bits - newlen)
        };
        // Align up to the subnet size.
        let start = next.checked_add(size - 1)? & !(size - 1);
        if start > end || start.checked_add(size - 1)? > end {
            return None;
        }
        out.push(format!("{}/{newlen}", format_addr(start, p.bits)));
        next = start.checked_add(size)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_terraform_documents() {
        assert_eq!(
            subnet("172.16.0.0/12", 4, 2).as_deref(),
            Some("172.18.0.0/16")
        );
        assert_eq!(
            subnet("10.1.2.0/24", 4, 15).as_deref(),
            Some("10.1.2.240/28")
        );
        assert_eq!(
            subnet("fd00:fd12:3456:7890::/56", 16, 162).as_deref(),
            Some("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(subnet("0.0.0.0/0", 0, 0).as_deref(), Some("0.0.0.0/0"));
        assert_eq!(subnet("10.0.0.0/8", 4, 16), None);
        assert_eq!(host("10.12.112.0/20", 16).as_deref(), Some("10.12.112.16"));
        assert_eq!(host("10.12.112.0/20", 268).as_deref(), Some("10.12.113.12"));
        assert_eq!(host("10.12.112.0/20", -1).as_deref(), Some("10.12.127.255"));
        assert_eq!(
            host("fd00:fd12:3456:7890:00a2::/72", 34).as_deref(),
            Some("fd00:fd12:3456:7890::22")
        );
        assert_eq!(netmask("172.16.0.0/12").as_deref(), Some("255.240.0.0"));
        assert_eq!(
            subnets("10.1.0.0/16", &[4, 4, 8, 4]).unwrap(),
            [
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]
        );
    }
}
