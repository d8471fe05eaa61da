//! Read side: the fleet questions, answered from the maintained current state (`credentials`, `fleet_counts`,
//! `findings.is_current`, see `current`) and the full `findings` history.
//!
//! Answers are typed rows ([`CredentialSummary`], [`HostDetail`], [`Finding`] …): the API serializes them as they
//! are, and the web page reads their fields, so both show the same thing and a renamed column is a compile error
//! rather than an empty cell. Every list is an index range scan with a limit, and the rules of a page's credentials
//! are fetched for the whole page at once, so a page costs a few queries whatever its size, on either engine.
//! Submodules: [`credentials`] (the filterable list, a credential's sprawl and history, the export), [`hosts`],
//! [`views`] (the summary, AI-agent exposure), [`filter`] (the list's parameters).
//!
//! Errors are domain values ([`QueryError`]); the HTTP layer decides which status each one is.

pub mod credentials;
pub mod filter;
pub mod hosts;
pub mod views;

pub use credentials::{credential, credentials, export, shared, CredentialDetail, CredentialPage, CredentialSummary};
pub use hosts::{host, hosts, inventory, Finding, HostDetail, HostPage, HostSummary, ReportSummary};
pub use views::{agents, summary, Agents, Summary};

use crate::store::{args, in_chunks, Param, Row, Sql, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a question has no answer.
#[derive(Debug)]
pub enum QueryError {
    /// The thing asked about does not exist.
    NotFound(String),
    /// A name that fits more than one thing (a hostname several hosts share).
    Ambiguous(String),
    /// The question itself is malformed (a paging parameter, say).
    Invalid(String),
    Store(StoreError),
}

impl From<StoreError> for QueryError {
    fn from(e: StoreError) -> Self {
        QueryError::Store(e)
    }
}

/// Risk labels as stored (a JSON array); `None` (null in the API) if the stored text is not one.
fn risk_list(text: &str) -> Option<Vec<String>> {
    serde_json::from_str(text).ok()
}

/// `(fingerprint, text)` rows of `sql` (see [`in_chunks`]) for the fingerprints `fps`, grouped by fingerprint.
fn per_fingerprint(c: &mut dyn Sql, sql: &str, fps: &[String]) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let params: Vec<Param> = fps.iter().map(Param::from).collect();
    in_chunks(c, sql, &params, |r| {
        out.entry(r.text(0)?.to_owned()).or_default().push(r.text(1)?.to_owned());
        Ok(())
    })?;
    Ok(out)
}

/// Where a page of a list starts and ends.
#[derive(Debug, Serialize)]
pub struct PageInfo {
    pub total: i64,
    pub offset: u32,
    pub limit: u32,
    /// The offset of the next page; `None` (null) on the last.
    pub next_offset: Option<i64>,
}

impl PageInfo {
    fn new(total: i64, page: Page, shown: usize) -> PageInfo {
        let end = i64::from(page.offset) + shown as i64;
        PageInfo { total, offset: page.offset, limit: page.limit, next_offset: (end < total).then_some(end) }
    }
}

/// One page of `sql` (which ends in `LIMIT $n OFFSET $n+1`, the last two parameters, appended here), read one row
/// past its end to learn whether another page follows: the rows, and the next page's offset (`None` at the end).
fn paged<T>(
    c: &mut dyn Sql,
    sql: &str,
    params: &[Param<'_>],
    page: Page,
    row: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<(Vec<T>, Option<i64>), StoreError> {
    let mut all: Vec<Param> = params.to_vec();
    all.extend([Param::Int(i64::from(page.limit) + 1), Param::Int(i64::from(page.offset))]);
    let rows = c.query(sql, &all)?;
    let more = rows.len() > page.limit as usize;
    let out = rows.iter().take(page.limit as usize).map(row).collect::<Result<Vec<_>, _>>()?;
    Ok((out, more.then(|| i64::from(page.offset) + i64::from(page.limit))))
}

fn counter(c: &mut dyn Sql, name: &str) -> Result<i64, StoreError> {
    Ok(c.query_opt("SELECT n FROM fleet_counts WHERE name = $1", args![name])?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0))
}

/// A request's query parameters, percent-decoded. Each list takes the names it knows and refuses the others
/// ([`Params::refuse_others`]), so a typo does not pass silently; messages name parameters, never values.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(query: Option<&str>) -> Params {
        Params(form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned().collect())
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// 400 for any parameter not in `known`.
    pub fn refuse_others(&self, known: &[&str]) -> Result<(), QueryError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some(_) => {
                Err(QueryError::Invalid(format!("unknown query parameter (this list takes {})", known.join(", "))))
            }
            None => Ok(()),
        }
    }

    /// `limit` and `offset` (see [`Page`]).
    pub fn page(&self) -> Result<Page, QueryError> {
        let mut page = Page { limit: Page::DEFAULT_LIMIT, offset: 0 };
        if let Some(v) = self.get("limit") {
            page.limit = v.parse().ok().filter(|n| (1..=Page::MAX_LIMIT).contains(n)).ok_or_else(|| {
                QueryError::Invalid(format!("limit must be an integer from 1 to {}", Page::MAX_LIMIT))
            })?;
        }
        if let Some(v) = self.get("offset") {
            page.offset = v.parse().map_err(|_| QueryError::Invalid("offset must be a non-negative integer".into()))?;
        }
        Ok(page)
    }
}

/// Paging for list endpoints: a fleet can hold far more credentials than one response should carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Page {
    pub const DEFAULT_LIMIT: u32 = 1000;
    pub const MAX_LIMIT: u32 = 10_000;

    /// From a raw query string that holds nothing but `limit` and `offset`.
    pub fn parse(query: Option<&str>) -> Result<Page, QueryError> {
        let params = Params::parse(query);
        params.refuse_others(&["limit", "offset"])?;
        params.page()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_parameters() {
        assert_eq!(Page::parse(None).unwrap(), Page { limit: Page::DEFAULT_LIMIT, offset: 0 });
        assert_eq!(Page::parse(Some("limit=5&offset=10")).unwrap(), Page { limit: 5, offset: 10 });
        for bad in ["limit=0", "limit=100000", "offset=-1", "limit=x", "page=2"] {
            assert!(Page::parse(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(Params::parse(Some("path=a%2Fb+c&x")).get("path"), Some("a/b c"));
    }
}
