//! Lists of IP networks (`TRUSTED_PROXIES`), held as [`ipnet`] networks.

use std::{net::IpAddr, str::FromStr};

use ipnet::IpNet;

/// A list of IP networks (`TRUSTED_PROXIES`), written as comma-separated addresses and CIDR
/// networks: `10.0.0.0/8, 192.168.1.7, ::1, fd00::/16`. An IPv4 address mapped into IPv6
/// (`::ffff:10.0.0.1`) stands for the IPv4 address, in the list as in [`Networks::contains`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks(Vec<IpNet>);

impl Networks {
    /// Whether `address` lies in one of the networks.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|network| network.contains(&address))
    }
}

impl FromStr for Networks {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        parse_networks(value)
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
pub(crate) fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// Reads a comma-separated list of addresses and CIDR networks; blanks are ignored.
pub(super) fn parse_networks(value: &str) -> Result<Networks, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(parse_network)
        .collect::<Result<_, _>>()
        .map(Networks)
}

/// One address (a network of its own) or CIDR network. The address is read first and mapped
/// IPv4 made IPv4, so the prefix of `::ffff:10.0.0.0/8` counts IPv4 bits, as it always has.
fn parse_network(item: &str) -> Result<IpNet, String> {
    let (address, prefix) = match item.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (item, None),
    };
    let address = address
        .parse::<IpAddr>()
        .map(canonical)
        .map_err(|_| format!("`{item}` is not an IP address or CIDR network"))?;
    match prefix {
        None => Ok(IpNet::from(address)),
        Some(prefix) => prefix
            .parse::<u8>()
            .ok()
            .and_then(|prefix| IpNet::new(address, prefix).ok())
            .ok_or_else(|| format!("`{item}` has an invalid prefix length")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_parse_as_networks() {
        let networks = parse_networks("10.0.0.0/8, 192.168.1.7 ,::1, fd00::/16").unwrap();
        for inside in [
            "10.1.2.3",
            "192.168.1.7",
            "::1",
            "fd00::5",
            "::ffff:10.9.9.9",
        ] {
            assert!(networks.contains(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["11.0.0.1", "192.168.1.8", "::2", "fe00::1"] {
            assert!(!networks.contains(outside.parse().unwrap()), "{outside}");
        }
        assert!(parse_networks("10.0.0.0/33").is_err());
        assert!(parse_networks("proxy.local").is_err());
        assert_eq!(parse_networks("").unwrap(), Networks::default());
        assert!(
            parse_networks("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
    }

    #[test]
    fn mapped_ipv4_is_ipv4_in_the_list_too() {
        let networks: Networks = "::ffff:10.0.0.0/8, ::ffff:192.168.1.7".parse().unwrap();
        assert_eq!(networks, "10.0.0.0/8, 192.168.1.7".parse().unwrap());
        assert!(networks.contains("10.200.0.1".parse().unwrap()));
        assert!(networks.contains("::ffff:192.168.1.7".parse().unwrap()));
        assert!(!networks.contains("192.168.1.8".parse().unwrap()));
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        assert_eq!(
            parse_networks("10.0.0.0/8, proxy.local/8").unwrap_err(),
            "`proxy.local/8` is not an IP address or CIDR network"
        );
        for bad in ["10.0.0.0/33", "::1/129", "10.0.0.0/x", "10.0.0.0/"] {
            assert_eq!(
                parse_networks(bad).unwrap_err(),
                format!("`{bad}` has an invalid prefix length")
            );
        }
        assert_eq!(
            parse_networks("::ffff:10.0.0.0/96").unwrap_err(),
            "`::ffff:10.0.0.0/96` has an invalid prefix length",
            "a mapped address counts IPv4 bits"
        );
    }
}
