// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";

/// @title BaseNftCollection
/// @notice ERC-721 collection of one base-nft campaign. The implementation is deployed once and every collection is an
///         EIP-1167 clone of it (see BaseNftFactory), hence the upgradeable (initializer-based) OpenZeppelin variants.
/// @dev    Token ids are sequential and start at 1; there is no burn, so totalSupply() == nextTokenId() - 1.
///         Pausing stops minting only (mintBatch, safeMint); transfers of already minted tokens stay possible, which
///         keeps the per-token mint path free of an extra storage read.
contract BaseNftCollection is Initializable, ERC721Upgradeable, AccessControlUpgradeable, PausableUpgradeable {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Emitted once per successful mintBatch; token ids firstTokenId .. firstTokenId + count - 1 were minted,
    ///         in the order of the recipient list.
    event BatchMinted(bytes32 indexed batchKey, uint256 firstTokenId, uint256 count);

    /// @notice The batch key was consumed by an earlier mintBatch (idempotency guard against double sends).
    error BatchAlreadyUsed(bytes32 batchKey);
    /// @notice mintBatch was called with an empty recipient list.
    error EmptyBatch();
    /// @notice initialize was given the zero address as admin or minter.
    error ZeroAddress();

    // Plain (non-namespaced) storage is fine here: clones are never upgraded, and the OpenZeppelin parents keep their
    // state in ERC-7201 namespaced slots, so nothing can collide.
    string private _baseTokenURI;
    /// @dev Number of tokens minted so far; the next token id is _minted + 1.
    uint256 private _minted;
    mapping(bytes32 batchKey => bool used) private _usedBatchKeys;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        // The implementation itself must never be initialised (and thus never be owned or minted from).
        _disableInitializers();
    }

    function initialize(
        string calldata name_,
        string calldata symbol_,
        string calldata baseURI_,
        address admin,
        address minter
    ) external initializer {
        if (admin == address(0) || minter == address(0)) revert ZeroAddress();
        __ERC721_init(name_, symbol_);
        __AccessControl_init();
        __Pausable_init();
        _baseTokenURI = baseURI_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(MINTER_ROLE, minter);
    }

    /// @notice Mints one new token to each address of `to`, with sequential ids starting at nextTokenId().
    /// @dev    Uses _mint, not _safeMint, on purpose: recipients may be contracts, and an onERC721Received hook that
    ///         reverts (or is missing) must not be able to make the whole batch fail. A zero address reverts the
    ///         whole batch with ERC721InvalidReceiver(address(0)).
    ///         `batchKey` is an idempotency key chosen by the caller: a key can be used once, ever, so that a batch
    ///         re-sent after a lost receipt cannot mint twice.
    function mintBatch(bytes32 batchKey, address[] calldata to) external onlyRole(MINTER_ROLE) whenNotPaused {
        uint256 count = to.length;
        if (count == 0) revert EmptyBatch();
        if (_usedBatchKeys[batchKey]) revert BatchAlreadyUsed(batchKey);
        _usedBatchKeys[batchKey] = true;

        uint256 first = _minted + 1; // one read of the counter ...
        for (uint256 i; i < count; ) {
            _mint(to[i], first + i);
            unchecked {
                ++i;
            }
        }
        _minted = first + count - 1; // ... and one write, after the loop

        emit BatchMinted(batchKey, first, count);
    }

    /// @notice Mints a single token with the receiver check. Not used by the engine; kept as the gas baseline
    ///         (one transaction per recipient) that mintBatch is compared with.
    function safeMint(address to) external onlyRole(MINTER_ROLE) whenNotPaused {
        uint256 tokenId = _minted + 1;
        _minted = tokenId;
        _safeMint(to, tokenId);
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function batchKeyUsed(bytes32 batchKey) external view returns (bool) {
        return _usedBatchKeys[batchKey];
    }

    function nextTokenId() external view returns (uint256) {
        return _minted + 1;
    }

    function totalSupply() external view returns (uint256) {
        return _minted;
    }

    function _baseURI() internal view override returns (string memory) {
        return _baseTokenURI;
    }

    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721Upgradeable, AccessControlUpgradeable)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }
}
