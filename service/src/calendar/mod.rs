//! Calendar feeds (RFC 5545): a person's secret URL `/calendar/<token>.ics` that Outlook,
//! Thunderbird and other calendar clients subscribe to, with the milestones and the status
//! report due dates of what that person may see.
//!
//! - [`token`]: the secret in the URL and the hash that is stored instead of it;
//! - [`feed`]: making, listing, revoking and opening feeds;
//! - [`events`]: what a feed holds, read with its owner's view through the policy's scoped
//!   selects;
//! - [`ics`]: the iCalendar text.

pub mod events;
pub mod feed;
pub mod ics;
pub mod token;

pub use events::{Entry, Work};
pub use feed::{Created, NewFeed, Opened, create, list, open, revoke};
